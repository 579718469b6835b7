/** Helpers a plugin author uses: API client, collectors, extractors, converters, ids. */
export * from './api-client';
export * from './api-collector';
export * from './graphql-collector';
export type { Pager, PagePosition, PaginationMode } from './pagination';
export { COLLECTOR_STATE_TABLE, getCollectorState, type CollectorState } from './collector-state';
export { ApiExtractor } from './api-extractor';
export type { ApiExtractorArgs, ExtractorRawRow } from './api-extractor';
export { DataConverter } from './data-converter';
export type { DataConverterArgs } from './data-converter';
export { DomainIdGenerator } from './didgen';
export type { DomainIdPart } from './didgen';
export { MappedConverter } from './mapped-converter';
export type { MappedConvertResult, MappedConverterArgs, MappedOutput } from './mapped-converter';
export { MappedExtractor } from './mapped-extractor';
export type { MappedEngine, MappedExtractorArgs, MappedExtractResult, PerRecord } from './mapped-extractor';
export { collector, converter, entityTitle, extractor, mappedConverter, mappedExtractor } from './subtask-factories';
export { tableInput } from './table-input';
export type { CollectorDef, ConverterDef, ExtractorDef, FactoryTaskData, MappedConverterDef, MappedExtractorDef, MappingEnv, SubtaskDefBase } from './subtask-factories';
