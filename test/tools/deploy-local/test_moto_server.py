"""Unit tests of tools/deploy-local/moto_server.py's fixes, against moto in process (no server, no CDK).

Run: python3 -m unittest discover -s test/tools/deploy-local -p 'test_*.py'
"""
import importlib.util
import json
import logging
import os
import re
import unittest
import warnings

os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

import boto3  # noqa: E402
from moto import mock_aws  # noqa: E402

SHIM = os.path.join(os.path.dirname(__file__), "..", "..", "..", "tools", "deploy-local", "moto_server.py")
spec = importlib.util.spec_from_file_location("moto_server", SHIM)
moto_server = importlib.util.module_from_spec(spec)
spec.loader.exec_module(moto_server)
for _summary, _apply in moto_server.FIXES:
    _apply()
# What moto and the fixes log (skipped types, placeholders, failures) is what these tests assert on
# through the API; keep the test output to the results.
logging.disable(logging.CRITICAL)
warnings.simplefilter("ignore", UserWarning)


def deploy(cfn, name, resources, outputs=None):
    """Creates the stack through a change set, as the CDK CLI does; returns its final status."""
    template = {"Resources": resources, "Outputs": outputs or {}}
    cfn.create_change_set(StackName=name, TemplateBody=json.dumps(template), ChangeSetName="cs", ChangeSetType="CREATE")
    cfn.execute_change_set(ChangeSetName="cs", StackName=name)
    return cfn.describe_stacks(StackName=name)["Stacks"][0]


def events(cfn, name):
    return cfn.describe_stack_events(StackName=name)["StackEvents"]


@mock_aws
class Placeholders(unittest.TestCase):
    def setUp(self):
        self.cfn = boto3.client("cloudformation", region_name="us-east-1")
        self.sqs = boto3.client("sqs", region_name="us-east-1")

    def test_a_referenced_unmodelled_resource_answers_ref_and_getatt_with_values_shaped_like_aws(self):
        # GIVEN a queue (modelled) that refers to a cache endpoint and a secret (not modelled), an
        # output that refers to a proxy endpoint, and an alarm nothing refers to
        resources = {
            "Cache": {"Type": "AWS::ElastiCache::ReplicationGroup", "Properties": {"TransitEncryptionEnabled": True, "Port": 6379}},
            "Token": {"Type": "AWS::SecretsManager::Secret", "Properties": {}},
            "Proxy": {"Type": "AWS::RDS::DBProxy", "Properties": {"DBProxyName": "AppProxy"}},
            "Alone": {"Type": "AWS::CloudWatch::Alarm", "Properties": {}},
            "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"Tags": [
                {"Key": "cache", "Value": {"Fn::GetAtt": ["Cache", "PrimaryEndPoint.Address"]}},
                {"Key": "port", "Value": {"Fn::GetAtt": ["Cache", "PrimaryEndPoint.Port"]}},
                {"Key": "token", "Value": {"Ref": "Token"}},
            ]}},
        }
        # WHEN
        stack = deploy(self.cfn, "S", resources, {"ProxyEndpoint": {"Value": {"Fn::GetAtt": ["Proxy", "Endpoint"]}}})
        # THEN the queue got the placeholder values
        self.assertEqual(stack["StackStatus"], "CREATE_COMPLETE")
        url = self.sqs.list_queues()["QueueUrls"][0]
        tags = self.sqs.list_queue_tags(QueueUrl=url)["Tags"]
        self.assertRegex(tags["cache"], r"^master\.s-cache-[a-z0-9]{12}\.[a-z0-9]{6}\.use1\.cache\.amazonaws\.com$")
        self.assertEqual(tags["port"], "6379")
        self.assertRegex(tags["token"], r"^arn:aws:secretsmanager:us-east-1:123456789012:secret:Token-[A-Za-z0-9]{12}-[A-Za-z]{6}$")
        outputs = {o["OutputKey"]: o["OutputValue"] for o in stack["Outputs"]}
        self.assertRegex(outputs["ProxyEndpoint"], r"^appproxy\.proxy-[a-z0-9]{12}\.us-east-1\.rds\.amazonaws\.com$")
        # ... each placeholder has a CREATE_COMPLETE event that says so; the alarm nobody refers to is plainly skipped
        marked = {e["LogicalResourceId"]: e["PhysicalResourceId"] for e in events(self.cfn, "S")
                  if (e.get("ResourceStatusReason") or "").startswith(moto_server.PLACEHOLDER_MARK)}
        self.assertEqual(set(marked), {"Cache", "Token", "Proxy"})
        self.assertEqual(marked["Token"], tags["token"])
        listed = {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in self.cfn.list_stack_resources(StackName="S")["StackResourceSummaries"]}
        self.assertEqual(listed["Proxy"], "AppProxy")
        self.assertNotIn("Alone", listed)
        # ... and the stack deletes (a placeholder has nothing to delete)
        self.cfn.delete_stack(StackName="S")
        self.assertEqual(self.sqs.list_queues().get("QueueUrls", []), [])

    def test_a_distribution_answers_its_id_and_cloudfront_domain(self):
        # GIVEN an output that refers to a distribution (moto does not model CloudFront)
        resources = {"Edge": {"Type": "AWS::CloudFront::Distribution", "Properties": {"DistributionConfig": {"Enabled": True}}}}
        outputs = {"Url": {"Value": {"Fn::Join": ["", ["https://", {"Fn::GetAtt": ["Edge", "DomainName"]}]]}}, "Id": {"Value": {"Ref": "Edge"}}}
        # WHEN
        stack = deploy(self.cfn, "D", resources, outputs)
        # THEN
        self.assertEqual(stack["StackStatus"], "CREATE_COMPLETE")
        values = {o["OutputKey"]: o["OutputValue"] for o in stack["Outputs"]}
        self.assertRegex(values["Url"], r"^https://d[a-z0-9]{13}\.cloudfront\.net$")
        self.assertRegex(values["Id"], r"^E[A-Z0-9]{13}$")

    def test_an_attachment_refers_to_its_secret_arn(self):
        resources = {
            "Secret": {"Type": "AWS::SecretsManager::Secret", "Properties": {"Name": "db-credentials"}},
            "Attachment": {"Type": "AWS::SecretsManager::SecretTargetAttachment", "Properties": {"SecretId": {"Ref": "Secret"}, "TargetType": "AWS::RDS::DBInstance"}},
            "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"Tags": [{"Key": "secret", "Value": {"Ref": "Attachment"}}]}},
        }
        deploy(self.cfn, "A", resources)
        tags = self.sqs.list_queue_tags(QueueUrl=self.sqs.list_queues()["QueueUrls"][0])["Tags"]
        self.assertRegex(tags["secret"], r"^arn:aws:secretsmanager:us-east-1:123456789012:secret:db-credentials-[A-Za-z]{6}$")

    def test_a_referenced_type_without_a_shape_fails_the_deploy_and_says_where_to_add_one(self):
        resources = {
            "Budget": {"Type": "AWS::Budgets::Budget", "Properties": {}},
            "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"Tags": [{"Key": "budget", "Value": {"Ref": "Budget"}}]}},
        }
        stack = deploy(self.cfn, "B", resources)
        self.assertEqual(stack["StackStatus"], "ROLLBACK_COMPLETE")
        failed = [e for e in events(self.cfn, "B") if e["ResourceStatus"] == "CREATE_FAILED"]
        self.assertEqual(len(failed), 1)
        self.assertIn("moto does not model AWS::Budgets::Budget", failed[0]["ResourceStatusReason"])
        self.assertIn("PLACEHOLDER_SHAPES", failed[0]["ResourceStatusReason"])

    def test_an_attribute_a_shape_does_not_give_fails_the_deploy(self):
        resources = {
            "Proxy": {"Type": "AWS::RDS::DBProxy", "Properties": {"DBProxyName": "p"}},
            "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"Tags": [{"Key": "vpc", "Value": {"Fn::GetAtt": ["Proxy", "VpcId"]}}]}},
        }
        deploy(self.cfn, "C", resources)
        failed = [e for e in events(self.cfn, "C") if e["ResourceStatus"] == "CREATE_FAILED"]
        self.assertIn("gives it no attribute VpcId", failed[0]["ResourceStatusReason"])


class Shapes(unittest.TestCase):
    def test_short_region_codes_as_in_elasticache_host_names(self):
        self.assertEqual([moto_server._short_region(r) for r in ("us-east-1", "eu-west-2", "ap-southeast-1", "eu-central-1", "ap-northeast-3")],
                         ["use1", "euw2", "apse1", "euc1", "apne3"])


@mock_aws
class KmsKeys(unittest.TestCase):
    def test_a_key_with_cloudformation_tags_deploys_with_those_tags(self):
        cfn = boto3.client("cloudformation", region_name="us-east-1")
        kms = boto3.client("kms", region_name="us-east-1")
        policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "kms:*", "Resource": "*"}]}
        stack = deploy(cfn, "K", {"Key": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": policy, "EnableKeyRotation": True, "Tags": [{"Key": "profile", "Value": "prod"}]}}})
        self.assertEqual(stack["StackStatus"], "CREATE_COMPLETE")
        key_id = kms.list_keys()["Keys"][0]["KeyId"]
        self.assertEqual(kms.list_resource_tags(KeyId=key_id)["Tags"], [{"TagKey": "profile", "TagValue": "prod"}])


@mock_aws
class LogGroups(unittest.TestCase):
    def test_a_log_group_with_a_key_reads_back_with_that_key(self):
        cfn = boto3.client("cloudformation", region_name="us-east-1")
        logs = boto3.client("logs", region_name="us-east-1")
        key_arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        stack = deploy(cfn, "L", {"Group": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "encrypted", "KmsKeyId": key_arn}}})
        self.assertEqual(stack["StackStatus"], "CREATE_COMPLETE")
        self.assertEqual(logs.describe_log_groups(logGroupNamePrefix="encrypted")["logGroups"][0]["kmsKeyId"], key_arn)


@mock_aws
class LoadBalancerFullNames(unittest.TestCase):
    def test_full_names_answer_getatt_as_elb_derives_them_from_the_arns(self):
        # GIVEN a load balancer and a target group, and a queue tagged with their full names (the
        # CloudWatch dimensions dashboards and alarms use)
        ec2 = boto3.client("ec2", region_name="us-east-1")
        cfn = boto3.client("cloudformation", region_name="us-east-1")
        vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
        subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.9.{i}.0/24", AvailabilityZone=f"us-east-1{az}")["Subnet"]["SubnetId"]
                   for i, az in enumerate("ab")]
        tag = lambda key, resource, attribute: {"Key": key, "Value": {"Fn::GetAtt": [resource, attribute]}}  # noqa: E731
        stack = deploy(cfn, "Lb", {
            "Lb": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Name": "web", "Subnets": subnets}},
            "Tg": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": {"Name": "tasks", "Port": 80, "Protocol": "HTTP", "VpcId": vpc, "TargetType": "ip"}},
            "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"Tags": [
                tag("lb", "Lb", "LoadBalancerFullName"), tag("tg", "Tg", "TargetGroupFullName"), tag("tgname", "Tg", "TargetGroupName"),
            ]}},
        })
        # THEN it deploys, with the names ELB would give
        self.assertEqual(stack["StackStatus"], "CREATE_COMPLETE")
        sqs = boto3.client("sqs", region_name="us-east-1")
        tags = sqs.list_queue_tags(QueueUrl=sqs.list_queues()["QueueUrls"][0])["Tags"]
        self.assertRegex(tags["lb"], r"^app/web/[0-9a-f]+$")
        self.assertRegex(tags["tg"], r"^targetgroup/tasks/[0-9a-f]+$")
        self.assertEqual(tags["tgname"], "tasks")


class ListFixes(unittest.TestCase):
    def test_every_fix_says_what_it_makes_moto_do(self):
        summaries = [summary for summary, _ in moto_server.FIXES]
        self.assertTrue(all(re.match(r"^(AWS::|types |a |stack )", s) for s in summaries), summaries)
        self.assertTrue(any("placeholder" in s for s in summaries))


if __name__ == "__main__":
    unittest.main()
