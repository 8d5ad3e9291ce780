/** A province, regency, district or village code: `32`, `32.04`, `32.04.10`, `32.04.10.2001`. */
export const REGION_CODE = /^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/;
