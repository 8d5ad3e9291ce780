import { Body, Controller, Get, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { Public } from '../auth/auth.guard';
import { RegionDirectory } from '../reference/region-directory';
import { REGISTRATION_NUMBER_PATTERN } from '../registration/registration-number';
import { RegistrationQueries } from '../registration/registration-queries.service';
import { ApiError } from '../shared/http/api-error';
import { Page } from '../web/page.decorator';
import { regionCascade } from '../web/region-cascade';
import { Views } from '../web/views';
import { Web, WebContext } from '../web/web-context';
import { Captcha } from './captcha.service';
import { nextStepFor, STAGE_LABELS } from './registration-stages';
import { STATUS_CATEGORIES, StatusCheck } from './status-check.service';
import { StatusCheckThrottler } from './status-check.throttler';

/** The form as a browser posts it; its faults are shown beside the fields, not as a 400 page. */
class StatusCheckForm {
  @IsOptional()
  @IsString()
  @MaxLength(20)
  villageCode?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  name?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  captcha?: string;
}

/** Cek Bansos in the browser: the same captcha, rate limits and read model as the API. */
@ApiExcludeController()
@Public()
@UseGuards(StatusCheckThrottler)
@Controller('cek-bansos')
export class StatusCheckPages {
  constructor(
    private readonly views: Views,
    private readonly regions: RegionDirectory,
    private readonly statusCheck: StatusCheck,
    private readonly captcha: Captcha,
    private readonly registrations: RegistrationQueries,
  ) {}

  @Get()
  @SkipThrottle({ klien: true, nama: true }) // showing the form costs nothing of the search budget
  @Page()
  form(@Web() web: WebContext): string {
    return this.page(web, {});
  }

  @Post()
  @HttpCode(200)
  @Page()
  async search(@Web() web: WebContext, @Body() form: StatusCheckForm): Promise<string> {
    const villageCode = form.villageCode ?? '';
    const name = (form.name ?? '').trim();
    const errors: Record<string, string> = {};
    if (!this.regions.isVillage(villageCode)) errors.villageCode = web.t('Pilih desa/kelurahan.', 'Choose a village.');
    if (name.length < 3)
      errors.name = web.t(
        'Tulis nama lengkap sesuai KTP (minimal 3 huruf).',
        'Write the full name as on the ID card (3 letters or more).',
      );
    if (Object.keys(errors).length) return this.page(web, { villageCode, name, errors });
    try {
      await this.captcha.spend(form.captcha);
      return this.page(web, { villageCode, name, ...(await this.statusCheck.search(villageCode, name)) });
    } catch (err) {
      if (err instanceof ApiError && err.getStatus() === 400)
        return this.page(web, { villageCode, name, errors: { captcha: web.bi(messageOf(err)) } });
      throw err;
    }
  }

  @Get('pendaftaran')
  @SkipThrottle({ nama: true })
  @Page()
  async track(@Web() web: WebContext, @Query('nomor') number?: string): Promise<string> {
    const nomor = (number ?? '').trim().toUpperCase();
    if (!nomor) return this.views.render('status-check/lacak', web, {});
    if (!REGISTRATION_NUMBER_PATTERN.test(nomor))
      return this.views.render('status-check/lacak', web, {
        nomor,
        error: web.t('Format nomor pendaftaran tidak valid.', 'Invalid registration number format.'),
      });
    try {
      const tracked = (await this.registrations.trackByNumber(nomor)) as { stage: string };
      return this.views.render('status-check/lacak', web, {
        nomor,
        tracked,
        nextStep: nextStepFor(tracked.stage),
        stageLabel: STAGE_LABELS[tracked.stage],
      });
    } catch (err) {
      if (err instanceof ApiError && err.getStatus() === 404)
        return this.views.render('status-check/lacak', web, {
          nomor,
          error: web.t('Nomor pendaftaran tidak ditemukan.', 'Registration number not found.'),
        });
      throw err;
    }
  }

  private page(web: WebContext, data: { villageCode?: string; name?: string; errors?: Record<string, string> } & object): string {
    return this.views.render('status-check/cek-bansos', web, {
      ...data,
      categories: STATUS_CATEGORIES,
      cascade: regionCascade(this.regions, web, data.villageCode),
    });
  }
}

function messageOf(err: ApiError): { id: string; en: string } {
  const body = err.getResponse() as { message: string; messageEn: string };
  return { id: body.message, en: body.messageEn };
}
