import { definePlugin } from 'devlake-ts';
import { prepareTaskData, type DoraOptions, type DoraTaskData } from './task-data';
import { CalculateChangeLeadTimeMeta } from './tasks/change-lead-time-calculator';
import { DeploymentCommitsGeneratorMeta } from './tasks/deployment-commits-generator';
import { ConnectIncidentToDeploymentMeta } from './tasks/incident-deploy-connector';
import { EnrichPrevSuccessDeploymentCommitMeta } from './tasks/prev-deployment-commit-enricher';

/**
 * The dora plugin: an enrichment plugin. It has no collector and no tool
 * tables; it reads domain tables (pull requests, CI/CD, incidents, through a
 * project's `project_mapping`) and writes domain tables
 * (`cicd_deployment_commits`, `project_pr_metrics`,
 * `project_incident_deployment_relationships`), as Apache DevLake's dora plugin.
 * Run it with `devlake run dora --options '{"projectName":"demo"}'`.
 */
export default definePlugin<DoraOptions, DoraTaskData>({
  name: 'dora',
  description: "computes DORA metrics data (deployment commits, change lead time, incidents' deployments) from domain tables, as Apache DevLake's dora plugin",

  /** DevLake's order; the first two are off by default (its project plan runs them before refdiff). */
  subTaskMetas() {
    return [DeploymentCommitsGeneratorMeta, EnrichPrevSuccessDeploymentCommitMeta, CalculateChangeLeadTimeMeta, ConnectIncidentToDeploymentMeta];
  },

  prepareTaskData,

  /** No tool tables: every table it reads and writes is a domain table the framework migrates. */
  migrationScripts() {
    return [];
  },
});
