import { NestExpressApplication } from '@nestjs/platform-express';
import { XLSX_TYPE } from './tabular/tabular-import';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import responseTime from 'response-time';
import { Metrics } from './metrics/metrics';
import { Settings } from './config/settings.module';
import { ACCEPTED_MEDIA_TYPES } from './documents/document-store';
import { ApiExceptionFilter } from './shared/http/api-exception.filter';
import { validationPipe } from './shared/http/validation';
import { inputGuard } from './shared/http/input-guard';
import { sameOriginWrites } from './shared/http/same-origin';
import { securityHeaders } from './shared/http/security-headers';

/** What `npm start` and the HTTP tests both apply to the Nest app before listening. */
export function configureApp(app: NestExpressApplication, settings: Settings): void {
  // req.protocol/req.secure (the cookie's Secure flag, the same-origin check) as the TLS proxy saw them.
  app.set('trust proxy', settings.config.http.trustProxy);
  app.disable('x-powered-by');
  app.use(securityHeaders());
  // The app's own share of each request's time, for clients and load tests (`Server-Timing: app;dur=1.2`).
  const metrics = app.get(Metrics);
  app.use(
    responseTime((req, res, ms) => {
      res.setHeader('Server-Timing', `app;dur=${ms.toFixed(2)}`);
      const r = req as Request;
      // The route's pattern, never the ids in it; kept for the request's log line, written later.
      const route = r.route ? `${r.baseUrl}${String(r.route.path)}` : 'unmatched';
      (res as Response).locals.route = route;
      metrics.observeRequest(r.method, route, res.statusCode, ms, (res as Response).locals.errorCode);
    }),
  );
  app.useBodyParser('raw', {
    type: [...ACCEPTED_MEDIA_TYPES, 'text/csv', XLSX_TYPE],
    limit: settings.config.documents.maxUploadBytes,
  });
  // JSON may carry one photo in base64 (an objection from a phone): room for the upload limit.
  app.useBodyParser('json', { limit: Math.max(1_000_000, Math.ceil(settings.config.documents.maxUploadBytes * 1.4)) });
  // The pages' forms (sign-in, audit search, Cek Bansos); registered here so the checks below see their fields.
  app.useBodyParser('urlencoded', { extended: true, depth: 5 });
  app.use(sameOriginWrites);
  app.use(inputGuard);
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new ApiExceptionFilter());
  if (!settings.config.http.apiDocs) return; // API_DOCS: off by default in production
  const openApi = new DocumentBuilder()
    .setTitle('bansos-verval API')
    .setDescription(
      'Pendaftaran dan verval DTSEN / registration and verification for the social-assistance registry. ' +
        'Errors: { statusCode, code, message (Bahasa Indonesia), messageEn, details }.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, openApi), { jsonDocumentUrl: 'api/docs-json' });
}
