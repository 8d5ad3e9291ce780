import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { Public } from '../auth/auth.guard';
import { REGISTRATION_NUMBER_PATTERN } from '../registration/registration-number';
import { RegistrationQueries } from '../registration/registration-queries.service';
import { ApiError } from '../shared/http/api-error';
import { Captcha } from './captcha.service';
import { Challenge } from './proof-of-work';
import { nextStepFor } from './registration-stages';
import { StatusCheck } from './status-check.service';
import { StatusCheckThrottler } from './status-check.throttler';

class StatusCheckDto {
  @ApiProperty({ example: '32.04.10.2001', description: 'Kode desa/kelurahan (dari pilihan wilayah)' })
  @Matches(/^\d{2}\.\d{2}\.\d{2}\.\d{4}$/, { message: 'kode desa berformat 32.04.10.2001' })
  villageCode!: string;

  @ApiProperty({ example: 'Budi Santoso', description: 'Nama lengkap sesuai KTP' })
  @IsString()
  @MinLength(3)
  @MaxLength(100)
  name!: string;

  @ApiProperty({ description: 'Jawaban captcha ALTCHA (base64), dari GET /api/v1/cek-bansos/captcha' })
  @IsOptional() // missing: CAPTCHA_REQUIRED, a clearer answer than a validation error
  @IsString()
  @MaxLength(2000)
  captcha?: string;
}

/** Cek Bansos: public, no login; captcha and rate limits instead. */
@ApiTags('cek-bansos')
@Public()
@UseGuards(StatusCheckThrottler)
@Controller('api/v1/cek-bansos')
export class StatusCheckController {
  constructor(
    private readonly statusCheck: StatusCheck,
    private readonly captcha: Captcha,
    private readonly registrations: RegistrationQueries,
  ) {}

  @Get('captcha')
  @SkipThrottle({ klien: true, nama: true }) // cheap to issue; each answer still spends the search budget
  @ApiOperation({ summary: 'Tantangan captcha (ALTCHA, proof-of-work) untuk satu pencarian / a captcha challenge' })
  challenge(): Challenge {
    return this.captcha.challenge();
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Cek status bansos: desa + nama sesuai KTP + captcha; hasil per orang, nama disamarkan / check a status',
  })
  async search(@Body() body: StatusCheckDto): Promise<object> {
    await this.captcha.spend(body.captcha);
    return this.statusCheck.search(body.villageCode, body.name);
  }

  @Get('pendaftaran/:registrationNumber')
  @SkipThrottle({ nama: true })
  @ApiOperation({ summary: 'Lacak pendaftaran dengan nomor pendaftaran: tahap dan langkah berikutnya / track a registration' })
  async track(@Param('registrationNumber') registrationNumber: string): Promise<object> {
    if (!REGISTRATION_NUMBER_PATTERN.test(registrationNumber))
      throw ApiError.badRequest('REGISTRATION_NUMBER_FORMAT', {
        id: 'Format nomor pendaftaran tidak valid',
        en: 'Invalid registration number format',
      });
    const tracked = (await this.registrations.trackByNumber(registrationNumber)) as { stage: string };
    return { ...tracked, nextStep: nextStepFor(tracked.stage) };
  }
}
