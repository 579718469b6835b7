/**
 * devlake-ts/devlake: Apache DevLake's semantics as helpers, for plugins that
 * must produce what DevLake's Go plugins produce — Go encoding/json field
 * reading, `Iso8601Time`, RE2 patterns and the `RegexEnricher`, CI/CD
 * result/status rules, domain ids.
 */
export { field, int, iso8601Time, rawJsonField, str, time } from './go-json';
export { compileGoRegexp, compileOptional, findString, findStringSubmatch, GoRegexp, replaceAllLiteral } from './go-regexp';
export { DEPLOYMENT, PRODUCTION, RegexEnricher } from './regex-enricher';
export * from './cicd';
export { computeTimeSpan, leadTimeMinutes } from './time-span';
export { DomainIdGenerator } from '../helpers/didgen';
