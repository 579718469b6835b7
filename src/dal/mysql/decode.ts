import { baseDecoders, decodeInteger, type ColumnDecoders } from '../base-decoders';

/**
 * mysql2 (with the typeCast of client.ts) returns BIGINT as a number, or as
 * text beyond 2^53; tinyint(1) as a boolean; DATETIME as a UTC Date, a zero
 * date as null; longtext as a string.
 */
export const mysqlDecoders: ColumnDecoders = Object.freeze({
  ...baseDecoders,
  bigint: decodeInteger,
  uint64: decodeInteger,
});
