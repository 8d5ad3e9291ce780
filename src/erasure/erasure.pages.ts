import { Controller, Get, Param } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { authorizePermission } from '../auth/policy';
import { ApiError } from '../shared/http/api-error';
import { UuidPipe } from '../shared/http/uuid.pipe';
import { Page } from '../web/page.decorator';
import { Views } from '../web/views';
import { Web, WebContext } from '../web/web-context';
import { Erasures } from './erasure.service';
import { LEGAL_BASES } from './legal-basis';

/**
 * The erasure pages: the request form for a household, and a request with the second officer's
 * decision. They show ids and codes only; the forms post to the API (app.js).
 */
@ApiExcludeController()
@Controller('penghapusan')
export class ErasurePages {
  constructor(
    private readonly views: Views,
    private readonly erasures: Erasures,
  ) {}

  @Get('rumah-tangga/:id')
  @Page()
  requestForm(@Web() web: WebContext, @Param('id', UuidPipe) householdId: string): string {
    // The role is checked here; the household's region when the request is sent (the API answers 403).
    const denied = authorizePermission(web.principal!, 'erasure:request', web.principal!.region);
    if (denied) throw ApiError.fromRejection(denied);
    return this.views.render('erasure/minta', web, { householdId, bases: Object.entries(LEGAL_BASES) });
  }

  @Get(':id')
  @Page()
  async request(@Web() web: WebContext, @Param('id', UuidPipe) requestId: string): Promise<string> {
    const request = await this.erasures.get(requestId, web.principal!);
    return this.views.render('erasure/permintaan', web, { request, basis: LEGAL_BASES[request.legalBasis!] });
  }
}
