import { ApiError } from '../http/errors';
import { RowError } from '../store/row-error';

/** A record error as a REST 400 response (`[{message, errorCode, fields}]`). */
export function writeError(e: RowError): ApiError {
  return new ApiError(400, e.code, e.message, e.fields);
}

/** A record error as composite results list it (`{statusCode, message, fields}`). */
export function compositeError(e: RowError): { statusCode: string; message: string; fields: string[] } {
  return { statusCode: e.code, message: e.message, fields: e.fields };
}
