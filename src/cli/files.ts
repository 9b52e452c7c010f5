// Files in and out: the media type an input is sent as (by its extension), and where a download
// is written (--out, or the name the service gives it).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { CliError, EXIT, usageError } from './errors.js';
import type { Answer } from './http.js';

export const MEDIA_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  json: 'application/json',
} as const;
export type FileFormat = keyof typeof MEDIA_TYPES;

export interface InputFile { path: string; body: Buffer; contentType: string; format: FileFormat }

/** Reads an input file; its extension (.csv, .xlsx, .json) says how it is sent. */
export function inputFile(path: string, accepted: FileFormat[]): InputFile {
  const format = extname(path).slice(1).toLowerCase() as FileFormat;
  if (!accepted.includes(format)) throw usageError(`${path}: the file's extension must be ${accepted.map((f) => `.${f}`).join(', ')}`);
  let body: Buffer;
  try { body = readFileSync(path); } catch (error) { throw usageError(`cannot read ${path} (${(error as Error).message})`); }
  return { path, body, contentType: MEDIA_TYPES[format], format };
}

/** The file name of a Content-Disposition, without any directory part. */
export function dispositionName(answer: Answer): string | undefined {
  const header = answer.headers['content-disposition'];
  const name = header && /filename="?([^";]+)"?/i.exec(header)?.[1];
  return name ? basename(name) : undefined;
}

/** Writes a download to a file (`-`: stdout); returns where it went. */
export function writeOutput(out: string, body: Buffer): string {
  if (out === '-') { process.stdout.write(body); return 'stdout'; }
  try { writeFileSync(out, body); } catch (error) { throw new CliError(EXIT.failure, [`error: cannot write ${out} (${(error as Error).message})`]); }
  return out;
}

/** A folder to export into, made if missing. */
export function folder(path: string): string {
  try { mkdirSync(path, { recursive: true }); } catch (error) { throw new CliError(EXIT.failure, [`error: cannot make the folder ${path} (${(error as Error).message})`]); }
  return path;
}

export const inFolder = (dir: string, name: string) => join(dir, name);
