import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import * as path from 'node:path';
import { Public } from '../auth/auth.guard';
import { ApiError } from '../shared/http/api-error';

const own = (file: string) => path.join(__dirname, 'assets', file);
const vendor = (pkg: string, file: string) => path.join(path.dirname(require.resolve(pkg)), file);

/** The pages' static files: our own, and the two browser libraries served from node_modules. */
const ASSETS: Record<string, string> = {
  'app.css': own('app.css'),
  'app.js': own('app.js'),
  'daftar.js': own('daftar.js'),
  'dasbor.js': own('dasbor.js'),
  'wilayah.js': own('wilayah.js'),
  'chart.js': vendor('chart.js', 'chart.umd.min.js'),
  'altcha.js': vendor('altcha', 'altcha.i18n.umd.js'),
  'altcha.css': path.join(path.dirname(require.resolve('altcha')), '..', 'dist_external', 'altcha.css'),
};

@ApiExcludeController()
@Public()
@Controller('aset')
export class AssetsController {
  @Get(':file')
  serve(@Param('file') file: string, @Res() res: Response): void {
    const found = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
    if (!found) throw ApiError.notFound({ id: 'Berkas', en: 'File' });
    res.sendFile(found, { maxAge: '1h' });
  }
}
