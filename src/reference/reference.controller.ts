import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { Public } from '../auth/auth.guard';
import { ApiError } from '../shared/http/api-error';
import { PageQuery } from '../shared/http/page.dto';
import { RegionLevel } from './idn-area-data';
import { RegionDirectory, RegionPage } from './region-directory';

class RegionQuery extends PageQuery {
  @IsOptional()
  @Matches(/^(\d{2}(\.\d{2}(\.\d{2})?)?)?$/, { message: 'parent: a province, regency or district code' })
  parent?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

class RegionSearchQuery extends PageQuery {
  @IsString()
  @Length(3, 100, { message: 'q: 3 to 100 characters' })
  q!: string;

  @IsOptional()
  @IsIn(['provinsi', 'kabupaten', 'kecamatan', 'desa'])
  level?: RegionLevel;
}

/** Public reference data: the Kemendagri regions (for pickers and the status check). */
@Public()
@ApiTags('reference')
@Controller('api/v1/regions')
export class ReferenceController {
  constructor(private readonly regions: RegionDirectory) {}

  @Get()
  @ApiOperation({ summary: 'Wilayah di bawah kode induk (kosong = provinsi), cari dengan q / child regions' })
  children(@Query() query: RegionQuery): RegionPage {
    return this.regions.children(query.parent ?? '', { q: query.q, page: query.page ?? 1, pageSize: query.pageSize ?? 100 });
  }

  @Get('search')
  @ApiOperation({ summary: 'Cari wilayah menurut nama di semua tingkat / search regions by name' })
  search(@Query() query: RegionSearchQuery): RegionPage {
    return this.regions.search(query.q, { level: query.level, page: query.page ?? 1, pageSize: query.pageSize ?? 50 });
  }

  @Get('summary')
  summary(): object {
    return this.regions.countByLevel();
  }

  @Get(':code')
  get(@Param('code') code: string): object {
    const region = this.regions.get(code);
    if (!region) throw ApiError.notFound({ id: 'Kode wilayah', en: 'Region code' });
    return { ...region, ancestry: this.regions.ancestry(code) };
  }
}
