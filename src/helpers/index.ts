/** Helpers a plugin author uses: API client, collectors, extractors, converters, ids. */
export * from './api-client';
export * from './record-replay';
export { ApiExtractor } from './api-extractor';
export type { ApiExtractorArgs, ExtractorRawRow } from './api-extractor';
export { DataConverter } from './data-converter';
export type { DataConverterArgs } from './data-converter';
export { DomainIdGenerator } from './didgen';
export type { DomainIdPart } from './didgen';
