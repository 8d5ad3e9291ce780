import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../auth/auth.guard';
import { INDICATORS } from '../eligibility/indicators';
import { RegionDirectory } from '../reference/region-directory';
import { Page } from '../web/page.decorator';
import { regionCascade } from '../web/region-cascade';
import { Views } from '../web/views';
import { Web, WebContext } from '../web/web-context';
import { MARITAL_STATUSES, RELATIONS } from './application';
import { DOCUMENT_KINDS } from './documents';

/** Online registration by the citizen: a step-by-step form over the API's self-registration. */
@ApiExcludeController()
@Public()
@Controller('daftar')
export class RegistrationPages {
  constructor(
    private readonly views: Views,
    private readonly regions: RegionDirectory,
  ) {}

  @Get()
  @Page()
  start(@Web() web: WebContext): string {
    return this.form(web, false);
  }

  /** The resume link carries the case and its access code after '#', so neither reaches a server log. */
  @Get('lanjut')
  @Page()
  resume(@Web() web: WebContext): string {
    return this.form(web, true);
  }

  private form(web: WebContext, resuming: boolean): string {
    return this.views.render('registration/daftar', web, {
      resuming,
      cascade: regionCascade(this.regions, web),
      indicators: INDICATORS,
      relations: RELATIONS,
      maritalStatuses: MARITAL_STATUSES,
      documentKinds: DOCUMENT_KINDS,
    });
  }
}
