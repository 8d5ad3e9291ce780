import { Injectable, ParseUUIDPipe } from '@nestjs/common';
import { ApiError } from './api-error';

/** A path id that must be a UUID: 400 INVALID_ID otherwise. */
@Injectable()
export class UuidPipe extends ParseUUIDPipe {
  constructor() {
    super({
      exceptionFactory: () => ApiError.badRequest('INVALID_ID', { id: 'ID harus berupa UUID', en: 'The id must be a UUID' }),
    });
  }
}
