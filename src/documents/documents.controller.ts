import { Controller, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { authorizePermission } from '../auth/policy';
import { Principal } from '../auth/roles';
import { ApiError } from '../shared/http/api-error';
import { ACCEPTED_MEDIA_TYPES, DocumentStore, StoredDocument } from './document-store';

/** Evidence files for staff decisions (field visit photos, deliberation minutes). */
@ApiTags('documents')
@ApiBearerAuth()
@Controller('api/v1/documents')
export class DocumentsController {
  constructor(private readonly documents: DocumentStore) {}

  @Post()
  @ApiOperation({
    summary: `Unggah bukti (${ACCEPTED_MEDIA_TYPES.join(', ')}); kembalikan SHA-256 untuk evidence / upload evidence`,
  })
  upload(@CurrentPrincipal() principal: Principal, @Req() req: Request): Promise<StoredDocument> {
    const denied = authorizePermission(principal, 'documents:upload', principal.region);
    if (denied) throw ApiError.fromRejection(denied);
    return this.documents.storeUpload(req);
  }
}
