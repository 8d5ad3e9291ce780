import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { IdentifierContext } from './identifiers';
import { RegionLevel, RegionRecord } from './idn-area-data';

export interface RegionPage {
  readonly items: RegionRecord[];
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
}

/**
 * The regions, held in memory (about 91 thousand short rows) because every registration checks
 * NIK district codes and village codes against them.
 */
@Injectable()
export class RegionDirectory implements OnModuleInit {
  private byCode = new Map<string, RegionRecord>();
  private byParent = new Map<string, RegionRecord[]>();

  constructor(private readonly dataSource: DataSource) {}

  async onModuleInit(): Promise<void> {
    const rows: Array<{ code: string; level: RegionLevel; parent_code: string | null; name: string }> =
      await this.dataSource.query('select code, level, parent_code, name from ref_regions order by code');
    this.byCode = new Map();
    this.byParent = new Map();
    for (const r of rows) {
      const record: RegionRecord = { code: r.code, level: r.level, parentCode: r.parent_code, name: r.name };
      this.byCode.set(r.code, record);
      const key = r.parent_code ?? '';
      if (!this.byParent.has(key)) this.byParent.set(key, []);
      this.byParent.get(key)!.push(record);
    }
  }

  get(code: string): RegionRecord | undefined {
    return this.byCode.get(code);
  }

  countByLevel(): Record<RegionLevel, number> {
    const counts: Record<RegionLevel, number> = { provinsi: 0, kabupaten: 0, kecamatan: 0, desa: 0 };
    for (const r of this.byCode.values()) counts[r.level]++;
    return counts;
  }

  /** The region and its parents, country level first. */
  ancestry(code: string): RegionRecord[] {
    const chain: RegionRecord[] = [];
    for (let r = this.byCode.get(code); r; r = r.parentCode ? this.byCode.get(r.parentCode) : undefined) chain.unshift(r);
    return chain;
  }

  /** Children of a region ('' = provinces), optionally filtered by a case-insensitive name part. */
  children(parentCode: string, options: { q?: string; page: number; pageSize: number }): RegionPage {
    const needle = options.q?.trim().toLowerCase();
    const all = (this.byParent.get(parentCode) ?? []).filter((r) => !needle || r.name.toLowerCase().includes(needle));
    const start = (options.page - 1) * options.pageSize;
    return {
      items: all.slice(start, start + options.pageSize),
      total: all.length,
      page: options.page,
      pageSize: options.pageSize,
    };
  }

  /** Regions whose name contains `q` (case-insensitive), optionally of one level, by code. */
  search(q: string, options: { level?: RegionLevel; page: number; pageSize: number }): RegionPage {
    const needle = q.trim().toLowerCase();
    const all = [...this.byCode.values()].filter(
      (r) => (!options.level || r.level === options.level) && r.name.toLowerCase().includes(needle),
    );
    const start = (options.page - 1) * options.pageSize;
    return {
      items: all.slice(start, start + options.pageSize),
      total: all.length,
      page: options.page,
      pageSize: options.pageSize,
    };
  }

  isVillage(code: string): boolean {
    return this.byCode.get(code)?.level === 'desa';
  }

  identifierContext(today: string): IdentifierContext {
    return { districtExists: (code) => this.byCode.get(code)?.level === 'kecamatan', today };
  }
}
