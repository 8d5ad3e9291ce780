import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBase64,
  IsIn,
  IsNumber,
  IsObject,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { AccessLog, CurrentReader, Reader } from '../audit/access-log';
import { Public } from '../auth/auth.guard';
import { authorizePermission } from '../auth/policy';
import { CitizenDto } from '../registration/dto/proposal.dto';
import { ApiError } from '../shared/http/api-error';
import { UuidPipe } from '../shared/http/uuid.pipe';
import { AppealResult, Appeals } from './appeals.service';
import { ReviewCaseRoutes } from './review-case-routes';

class PhotoDto {
  @ApiProperty({ enum: ['image/jpeg', 'image/png'] })
  @IsIn(['image/jpeg', 'image/png'])
  mediaType!: 'image/jpeg' | 'image/png';

  @ApiProperty({ description: 'The photo, base64 (at most about 5 MB)' })
  @IsBase64()
  @MaxLength(7_000_000)
  base64!: string;
}

/** Indonesia's bounding box: a point outside it cannot be the recipient's house. */
class GpsDto {
  @ApiProperty({ example: -6.95 })
  @IsNumber()
  @Min(-11.5)
  @Max(6.5)
  lat!: number;

  @ApiProperty({ example: 107.55 })
  @IsNumber()
  @Min(94.5)
  @Max(141.5)
  lon!: number;
}

class FileObjectionDto {
  @ApiProperty({ description: 'The recipient household' })
  @IsUUID()
  householdId!: string;

  @ApiProperty({ type: CitizenDto })
  @IsObject()
  @ValidateNested()
  @Type(() => CitizenDto)
  objector!: CitizenDto;

  @ApiProperty()
  @IsString()
  @MinLength(10)
  @MaxLength(2000)
  reason!: string;

  @ApiProperty({ type: PhotoDto })
  @IsObject()
  @ValidateNested()
  @Type(() => PhotoDto)
  photo!: PhotoDto;

  @ApiProperty({ type: GpsDto })
  @IsObject()
  @ValidateNested()
  @Type(() => GpsDto)
  gps!: GpsDto;
}

/** Objections (sanggah): filed by a resident of the recipient's village, reviewed by the regency. */
@ApiTags('objections')
@Controller('api/v1/objections')
export class ObjectionsController extends ReviewCaseRoutes {
  constructor(
    appeals: Appeals,
    private readonly accessLog: AccessLog,
  ) {
    super(appeals, 'sanggah');
  }

  @Public()
  @Post()
  @ApiOperation({ summary: 'Sanggah penerima bansos (warga desa yang sama; foto dan titik GPS) / object to a recipient' })
  file(@Body() body: FileObjectionDto): Promise<AppealResult> {
    const { nik, fullName, phone } = body.objector;
    const photo = { body: Buffer.from(body.photo.base64, 'base64'), mediaType: body.photo.mediaType };
    return this.appeals.fileObjection(
      body.householdId,
      { nik, fullName, ...(phone ? { phone } : {}) },
      photo,
      { lat: body.gps.lat, lon: body.gps.lon },
      body.reason,
    );
  }

  @ApiBearerAuth()
  @Get(':id')
  @ApiOperation({
    summary:
      'Sanggah; identitas pelapor hanya untuk petugas yang memutuskan / the objector is shown only to the deciding caseworker',
  })
  async get(@Param('id', UuidPipe) id: string, @CurrentReader() reader: Reader): Promise<object> {
    const p = reader.principal;
    const { state, version } = await this.appeals.load(id, 'sanggah');
    if (state.status === 'NONE') throw ApiError.notFound({ id: 'Sanggah', en: 'Objection' });
    const denied = authorizePermission(p, 'households:read', state.villageCode!);
    if (denied) throw ApiError.fromRejection(denied);
    const objector = (await this.appeals.objectorFor(id, p)) ?? null;
    // The objector's identity is personal data: its one reader is on record.
    if (objector) await this.accessLog.record(reader, 'sanggah', id, 'objector');
    return { ...state, version, objector };
  }
}
