import { baseDecoders, decodeInteger, type ColumnDecoders } from '../base-decoders';

/**
 * pg returns bigint (int8) as text so as not to lose digits, timestamptz as a
 * Date, booleans as booleans and json as parsed values.
 */
export const postgresDecoders: ColumnDecoders = Object.freeze({
  ...baseDecoders,
  bigint: decodeInteger,
  uint64: decodeInteger,
});
