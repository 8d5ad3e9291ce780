import { Module } from '@nestjs/common';
import { DocumentsController } from './documents.controller';
import { DocumentStore } from './document-store';

@Module({ providers: [DocumentStore], controllers: [DocumentsController], exports: [DocumentStore] })
export class DocumentsModule {}
