/**
 * Terraform (issue 7 acceptance 3): `terraform fmt -check` and `terraform validate` pass against the
 * offline AWS provider mirror, and a real `terraform plan` (local backend + mock credentials, no API
 * call: the configuration has no data source that reaches AWS) plans exactly the 14 EC2 nodes of
 * ARCHITECTURE.md §4 with the right instance types and label tags, and security groups that open only
 * the ALB to the internet. When terraform or the provider mirror is missing the test says so and stops.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NODE_PLAN, REPO, WORKLOADS, hasCommand, output, run } from './deploy-helpers.js';

const TF = path.join(REPO, 'terraform');
const MIRROR_CANDIDATES = [
  process.env.TF_PLUGIN_DIR,
  '/opt/tf-plugins',
  path.join(os.homedir(), '.terraform.d/plugins'),
  '/usr/share/terraform/plugins',
];

function findMirror(): string | undefined {
  for (const dir of MIRROR_CANDIDATES) {
    if (!dir) continue;
    const aws = path.join(dir, 'registry.terraform.io/hashicorp/aws');
    if (fs.existsSync(aws) && fs.readdirSync(aws).some((v) => v.startsWith('5.'))) return dir;
  }
  return undefined;
}

const MOCK_PROVIDER = `
terraform {
  backend "local" {}
}
${['', '  alias = "us_east_1"\n']
  .map(
    (alias) => `provider "aws" {
${alias}  access_key                  = "mock"
  secret_key                  = "mock"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}`,
  )
  .join('\n')}
`;

interface PlannedResource {
  address: string;
  type: string;
  name: string;
  index?: string | number;
  values: Record<string, unknown>;
}
interface PlanModule {
  resources?: PlannedResource[];
  child_modules?: PlanModule[];
}
interface ResourceChange {
  address: string;
  type: string;
  change: { after: Record<string, unknown> | null };
}
interface PolicyStatement {
  sid?: string;
  actions?: string[] | null;
  resources?: (string | null)[] | null;
}
/** The `configuration` section of `terraform show -json`: expressions as written, with their references. */
interface ConfigModule {
  resources?: { address: string; name: string; expressions: Record<string, unknown> }[];
  module_calls?: Record<
    string,
    { expressions: Record<string, { references?: string[] }>; module: ConfigModule }
  >;
  outputs?: Record<string, { expression: { references?: string[] } }>;
}

let mirror: string | undefined;
let work = '';
let skipReason = '';
const tfEnv = {
  ...process.env,
  TF_CLI_CONFIG_FILE: '/dev/null',
  TF_IN_AUTOMATION: '1',
  CHECKPOINT_DISABLE: '1',
};
const tf = (args: string[], cwd: string): ReturnType<typeof run> =>
  run('terraform', args, { cwd, env: tfEnv, timeout: 180_000 });

beforeAll(() => {
  if (!hasCommand('terraform')) skipReason = 'terraform is not installed';
  else if (!(mirror = findMirror()))
    skipReason = `no offline mirror of hashicorp/aws 5.x in ${MIRROR_CANDIDATES.filter(Boolean).join(', ')} (set TF_PLUGIN_DIR)`;
  if (skipReason) {
    console.log(`SKIPPED terraform checks: ${skipReason}`);
    return;
  }
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'eco2-tf-'));
  fs.cpSync(TF, work, {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}.terraform`) && !src.endsWith('.tfstate'),
  });
}, 60_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('terraform', () => {
  it('is formatted (terraform fmt -check -recursive)', () => {
    if (skipReason) return console.log(`skipped: ${skipReason}`);
    const r = tf(['fmt', '-check', '-recursive', '-diff', TF], REPO);
    expect(output(r)).toBe('exit 0');
  });

  it('validates with the offline provider (init -backend=false -plugin-dir + validate), root and bootstrap', () => {
    if (skipReason) return console.log(`skipped: ${skipReason}`);
    for (const dir of [work, path.join(work, 'bootstrap')]) {
      const init = tf(['init', '-backend=false', `-plugin-dir=${mirror}`, '-input=false', '-no-color'], dir);
      expect(init.status === 0 ? 'ok' : output(init)).toBe('ok');
      const v = tf(['validate', '-no-color'], dir);
      expect(v.status === 0 ? 'ok' : output(v)).toBe('ok');
    }
  }, 120_000);

  describe('plan', () => {
    let resources: PlannedResource[] = [];
    let changes: ResourceChange[] = [];
    let configuration: ConfigModule = {};
    beforeAll(() => {
      if (skipReason) return;
      fs.writeFileSync(path.join(work, 'zz_test_override.tf'), MOCK_PROVIDER);
      fs.rmSync(path.join(work, '.terraform'), { recursive: true, force: true });
      fs.rmSync(path.join(work, '.terraform.lock.hcl'), { force: true });
      const init = tf(['init', '-reconfigure', `-plugin-dir=${mirror}`, '-input=false', '-no-color'], work);
      if (init.status !== 0) throw new Error(`init for plan failed: ${output(init)}`);
      const plan = tf(
        ['plan', '-refresh=false', '-lock=false', '-input=false', '-no-color', '-out=plan.bin'],
        work,
      );
      if (plan.status !== 0) throw new Error(`plan failed: ${output(plan)}`);
      const show = tf(['show', '-json', 'plan.bin'], work);
      const json = JSON.parse(show.stdout) as {
        planned_values: { root_module: PlanModule };
        resource_changes: ResourceChange[];
        configuration: { root_module: ConfigModule };
      };
      changes = json.resource_changes;
      configuration = json.configuration.root_module;
      const walk = (m: PlanModule): PlannedResource[] => [
        ...(m.resources ?? []),
        ...(m.child_modules ?? []).flatMap(walk),
      ];
      resources = walk(json.planned_values.root_module);
    }, 150_000);

    it('plans exactly the 14 nodes of ARCHITECTURE.md §4 with the right instance types and label tags', () => {
      if (skipReason) return console.log(`skipped: ${skipReason}`);
      const instances = resources.filter((r) => r.type === 'aws_instance');
      const planned = instances
        .map((r) => {
          const tags = r.values.tags as Record<string, string>;
          return {
            name: String(r.index),
            instanceType: r.values.instance_type,
            workload: tags['eco2/workload'],
            domain: tags['eco2/domain'] || undefined,
          };
        })
        .sort((a, b) => a.name.localeCompare(b.name));
      const expected = NODE_PLAN.map((n) => ({
        name: n.name,
        instanceType: n.instanceType,
        workload: n.workload,
        domain: n.domain,
      })).sort((a, b) => a.name.localeCompare(b.name));
      expect(planned).toEqual(expected);
      for (const i of instances) {
        expect(i.values.metadata_options).toEqual([expect.objectContaining({ http_tokens: 'required' })]);
        expect((i.values.root_block_device as { encrypted: boolean }[])[0].encrypted).toBe(true);
      }
    });

    it('opens only the ALB to the internet, and the image bucket is private behind CloudFront', () => {
      if (skipReason) return console.log(`skipped: ${skipReason}`);
      const open = resources.filter(
        (r) => r.type === 'aws_vpc_security_group_ingress_rule' && r.values.cidr_ipv4 === '0.0.0.0/0',
      );
      expect(open.map((r) => r.values.from_port).sort()).toEqual([443, 80]);
      const pab = resources.find(
        (r) => r.type === 'aws_s3_bucket_public_access_block' && r.address.includes('s3_cdn'),
      );
      expect(pab?.values).toMatchObject({
        block_public_acls: true,
        block_public_policy: true,
        restrict_public_buckets: true,
      });
      expect(resources.some((r) => r.type === 'aws_cloudfront_origin_access_control')).toBe(true);
      const cors = resources.find((r) => r.type === 'aws_s3_bucket_cors_configuration');
      expect(JSON.stringify(cors?.values)).toContain('"PUT"');
      expect(resources.some((r) => r.type === 'aws_s3_bucket_lifecycle_configuration')).toBe(true);
      const vpc = resources.find((r) => r.type === 'aws_vpc');
      expect(vpc?.values.cidr_block).toBe('10.0.0.0/16');
      for (const t of [
        'aws_route53_zone',
        'aws_acm_certificate',
        'aws_iam_instance_profile',
        'aws_nat_gateway',
      ])
        expect({ type: t, planned: resources.some((r) => r.type === t) }).toEqual({ type: t, planned: true });
    });

    it('gives every deployment a CloudWatch log group with retention, named as Fluent Bit writes it', () => {
      if (skipReason) return console.log(`skipped: ${skipReason}`);
      const groups = resources.filter((r) => r.type === 'aws_cloudwatch_log_group');
      expect(groups.map((g) => g.values.name).sort()).toEqual(
        [...WORKLOADS.map((w) => `/eco2/${w.name}`), '/eco2/unlabelled'].sort(),
      );
      for (const g of groups) expect(g.values.retention_in_days).toBe(30);
    });

    it('lets the node role write log streams into exactly those groups and do nothing else in CloudWatch Logs', () => {
      if (skipReason) return console.log(`skipped: ${skipReason}`);
      // Every IAM policy document in the plan; the log-group ARNs are unknown until apply (null here).
      const statements = changes
        .filter((c) => c.type === 'aws_iam_policy_document')
        .flatMap((c) =>
          ((c.change.after?.statement ?? []) as PolicyStatement[]).map((st) => ({
            address: c.address,
            ...st,
          })),
        );
      const grantingLogs = statements.filter((st) =>
        (st.actions ?? []).some((a) => a === '*' || a.toLowerCase().startsWith('logs:')),
      );
      expect(grantingLogs.map((st) => [st.address, st.actions])).toEqual([
        ['module.iam.data.aws_iam_policy_document.pod_logs', ['logs:CreateLogStream', 'logs:PutLogEvents']],
      ]);
      // No wildcard resource: each of the 10 groups, and its streams.
      const groupCount = resources.filter((r) => r.type === 'aws_cloudwatch_log_group').length;
      expect(grantingLogs[0].resources).toHaveLength(2 * groupCount);

      // …and those resources come from the log groups' ARNs and nothing else.
      const iam = configuration.module_calls!.iam;
      const document = iam.module.resources!.find(
        (r) => r.address === 'data.aws_iam_policy_document.pod_logs',
      )!;
      const [statement] = document.expressions.statement as { resources: { references: string[] } }[];
      expect(statement.resources.references).toEqual(['var.log_group_arns']);
      expect(iam.expressions.log_group_arns.references).toEqual([
        'module.logs.log_group_arns',
        'module.logs',
      ]);
      expect(configuration.module_calls!.logs.module.outputs!.log_group_arns.expression.references).toEqual([
        'aws_cloudwatch_log_group.deployment',
      ]);
      const attachment = iam.module.resources!.find(
        (r) => r.address === 'aws_iam_role_policy.worker_pod_logs',
      )!;
      expect(attachment.expressions.role).toMatchObject({
        references: ['aws_iam_role.worker.id', 'aws_iam_role.worker'],
      });
    });
  });

  it('renders the Ansible inventory with the groups and node vars the playbooks use', () => {
    const tpl = fs.readFileSync(path.join(TF, 'templates/inventory.ini.tftpl'), 'utf8');
    for (const s of [
      '[masters]',
      '[workers]',
      '[cluster:children]',
      'node_workload=',
      'node_domain=',
      'instance_id=',
      'availability_zone=',
      'acm_certificate_arn=',
    ])
      expect(tpl).toContain(s);
    const outputs = fs.readFileSync(path.join(TF, 'outputs.tf'), 'utf8');
    expect(outputs).toMatch(/output "ansible_inventory"[\s\S]*templatefile\(/);
  });

  it('has an atlantis.yaml planning the terraform directory from pull requests', () => {
    const a = fs.readFileSync(path.join(REPO, 'atlantis.yaml'), 'utf8');
    expect(a).toMatch(/^version: 3$/m);
    expect(a).toMatch(/dir: terraform$/m);
    expect(a).toMatch(/apply_requirements: \[approved, mergeable\]/);
  });
});
