import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import * as fs from 'node:fs';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { authorizePermission } from '../auth/policy';
import { Principal } from '../auth/roles';
import { CheckpointIndex } from '../event-store/integrity/checkpoint-index';
import { INTEGRITY_KEYS } from '../event-store/integrity/integrity.module';
import { IntegrityKeys, publicKeyPem } from '../event-store/integrity/keys';
import { ApiError } from '../shared/http/api-error';

/**
 * What an external auditor takes away to verify the store without trusting this installation:
 * the signed checkpoints and the public key (`npm run cli -- events:verify --checkpoints F
 * --public-key K` against a copy of the database). Auditors only, like the access log.
 */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/audit/integrity')
export class IntegrityController {
  constructor(
    @Inject(INTEGRITY_KEYS) private readonly keys: IntegrityKeys,
    private readonly index: CheckpointIndex,
  ) {}

  @Get('public-key')
  @ApiOperation({ summary: 'Kunci publik checkpoint (PEM) / checkpoint public key (Ed25519, PEM)' })
  publicKey(@CurrentPrincipal() p: Principal, @Res({ passthrough: true }) res: Response): string {
    this.authorize(p);
    res.type('application/x-pem-file').setHeader('Content-Disposition', 'attachment; filename="public-key.pem"');
    return publicKeyPem(this.keys.publicKey);
  }

  @Get('checkpoints')
  @ApiOperation({ summary: 'Berkas checkpoint bertanda tangan (JSON Lines) / the signed checkpoint file' })
  checkpoints(@CurrentPrincipal() p: Principal, @Res() res: Response): void {
    this.authorize(p);
    res.type('application/jsonl').setHeader('Content-Disposition', 'attachment; filename="checkpoints.jsonl"');
    if (!fs.existsSync(this.index.file)) return void res.send('');
    fs.createReadStream(this.index.file).pipe(res);
  }

  private authorize(p: Principal): void {
    const denied = authorizePermission(p, 'audit:access-log', '');
    if (denied) throw ApiError.fromRejection(denied);
  }
}
