import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { files } from './api';

/**
 * Drives one household through verval over HTTP up to the eligibility analysis, each step by its
 * role, without a field visit. `seed` keeps uploaded files apart. Returns the analysis' status.
 */
export async function assessOverHttp(
  app: INestApplication,
  t: Record<string, string>,
  body: object,
  seed: number,
): Promise<{ caseId: string; status: string }> {
  const http = () => request(app.getHttpServer());
  const as = (user: string) => ({ Authorization: `Bearer ${t[user]}` });
  const caseId: string = (await http().post('/api/v1/registrations').set(as('operator.desa')).send(body).expect(201)).body.caseId;
  const members = (body as { application: { members: Array<{ birthDate: string }> } }).application.members;
  const uploads: Array<[string, string, Buffer]> = [
    ['KTP&memberIndex=0', 'image/jpeg', files.jpeg(seed * 100 + 1)],
    ['KK', 'application/pdf', files.pdf(seed * 100 + 2)],
    ['BUKTI_PENGHASILAN', 'image/png', files.png(seed * 100 + 3)],
    ['FOTO_RUMAH', 'image/jpeg', files.jpeg(seed * 100 + 4)],
    ['FOTO_RUMAH', 'image/jpeg', files.jpeg(seed * 100 + 5)],
    ...members.map((m, i): [string, string, Buffer] => [
      `AKTA_KELAHIRAN&memberIndex=${i}`,
      'application/pdf',
      files.pdf(seed * 100 + 10 + i),
    ]),
  ];
  for (const [kind, type, file] of uploads)
    await http()
      .post(`/api/v1/registrations/${caseId}/documents?kind=${kind}`)
      .set(as('operator.desa'))
      .set('Content-Type', type)
      .send(file)
      .expect(200);
  const step = (path: string, user: string, payload: object) =>
    http().post(`/api/v1/registrations/${caseId}/${path}`).set(as(user)).send(payload).expect(200);
  const submitted = await step('submit', 'operator.desa', {});
  if (submitted.body.status !== 'PEMERIKSAAN_DOKUMEN') throw new Error(`submit: ${submitted.body.status}`);
  await step('document-check', 'operator.desa', { complete: true });
  await step('validation', 'operator.desa', { valid: true, fieldVisitRequired: false });
  const assessed = await step('eligibility-assessment', 'dinsos', {});
  return { caseId, status: assessed.body.status };
}

/** As assessOverHttp, then the approval chain to establishment (musdes, regency, province, Kemensos). */
export async function establishOverHttp(
  app: INestApplication,
  t: Record<string, string>,
  body: object,
  seed: number,
): Promise<{ caseId: string; householdId: string }> {
  const http = () => request(app.getHttpServer());
  const as = (user: string) => ({ Authorization: `Bearer ${t[user]}` });
  const { caseId, status } = await assessOverHttp(app, t, body, seed);
  if (status !== 'MENUNGGU_MUSDES') throw new Error(`assessment: ${status}`);
  const step = (path: string, user: string, payload: object) =>
    http().post(`/api/v1/registrations/${caseId}/${path}`).set(as(user)).send(payload).expect(200);
  const minutes = await http()
    .post('/api/v1/documents')
    .set(as('operator.desa'))
    .set('Content-Type', 'application/pdf')
    .send(files.pdf(seed * 100 + 99))
    .expect(201);
  await step('musdes-decision', 'operator.desa', {
    approve: true,
    evidence: [{ kind: 'document', sha256: minutes.body.sha256 }],
  });
  await step('regency-decision', 'dinsos', { approve: true });
  await step('province-decision', 'verifikator.provinsi', { approve: true });
  const established = await step('establishment', 'kemensos', { approve: true });
  return { caseId, householdId: established.body.householdId };
}

/** Opens, as the village operator, a status change (graduation) and a ranking appeal on a household. */
export async function openCasesOn(
  app: INestApplication,
  t: Record<string, string>,
  householdId: string,
): Promise<{ changeId: string; appealId: string }> {
  const post = (path: string, body: object) =>
    request(app.getHttpServer())
      .post(path)
      .set({ Authorization: `Bearer ${t['operator.desa']}` })
      .send(body)
      .expect(201);
  const change = await post(`/api/v1/households/${householdId}/status-changes`, { kind: 'GRADUASI', reason: 'r' });
  const appeal = await post('/api/v1/appeals', { type: 'RANKING', householdId, reason: 'r' });
  return { changeId: change.body.caseId, appealId: appeal.body.appealId };
}
