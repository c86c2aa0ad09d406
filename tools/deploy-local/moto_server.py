"""moto's server, with fixes for the moto 5.2.1 bugs a CDK deploy runs into.

Run it exactly like `moto_server`: `python3 moto_server.py -H 127.0.0.1 -p PORT`.

Each fix makes moto's CloudFormation do what CloudFormation itself does with the same template, so
a deploy that works here says something about AWS; none of them hides a template error or invents
behaviour moto lacks. Types moto does not model stay skipped, and the deploy tool reports them; one
that a created resource or an output refers to gets a placeholder (a physical ID and attributes
shaped like AWS's, nothing created), recorded in a CREATE_COMPLETE event that the deploy tool reads
to report it as "skipped (placeholder attributes)". `deploy-local` prints the list of fixes at start
(`--list-fixes`) so nobody forgets they are in effect. Remove a fix when moto ships its own.
README.md beside this file has a table of the fixes (kept equal to FIXES by test_readme.py).
Unit tests: test/tools/deploy-local/test_moto_server.py.
"""
import functools
import logging
import re
import sys

log = logging.getLogger("deploy-local")

# The moto release these fixes were written for and their unit tests pass on. Another release may
# fix a bug itself (then remove the fix) or move what a fix patches (then it is listed NOT APPLIED):
# after upgrading moto, run the unit tests, check each fix, and update this and README.md's table.
MOTO_VERSION = "5.2.1"

FIXES = []
# (logical ID, type, reason) of what moto failed to create / delete in the current request.
_failures = []
_delete_failures = []


def fix(summary):
    def register(apply):
        FIXES.append((summary, apply))
        return apply

    return register


def _wrap_classmethod(cls, name, before=None, after=None):
    original = getattr(cls, name).__func__

    @functools.wraps(original)
    def wrapped(klass, resource_name, cloudformation_json, *args, **kwargs):
        properties = cloudformation_json.get("Properties") or {}
        if before:
            before(properties)
        resource = original(klass, resource_name, cloudformation_json, *args, **kwargs)
        if after:
            after(resource, properties)
        return resource

    setattr(cls, name, classmethod(wrapped))


def _camel(value):
    """CloudFormation's PascalCase property (nested) as the camelCase arguments moto's APIs take."""
    from moto.core.utils import pascal_to_camelcase, remap_nested_keys

    return remap_nested_keys(value, pascal_to_camelcase) if value is not None else None


def _truthy(value):
    """A CloudFormation boolean: true, or the string "true" (any case)."""
    return str(value).lower() == "true"


@fix("AWS::EC2::SecurityGroup: an all-traffic rule (IpProtocol -1) needs no FromPort/ToPort")
def _all_traffic_rules_need_no_ports():
    # CDK's Port.allTraffic() renders IpProtocol -1 without ports, which CloudFormation accepts;
    # moto raises KeyError('FromPort') and the deploy fails later with "Fn::GetAtt references
    # undefined resource". EC2 reports such a rule with ports -1, so fill those in.
    from moto.ec2.models.security_groups import SecurityGroup

    def before(properties):
        for rule in properties.get("SecurityGroupIngress") or []:
            if str(rule.get("IpProtocol")) == "-1":
                rule.setdefault("FromPort", -1)
                rule.setdefault("ToPort", -1)

    _wrap_classmethod(SecurityGroup, "create_from_cloudformation_json", before)


AMI_ROOT_VOLUME_GIB = 8


@fix("AWS::EC2::Instance: the subnet of NetworkInterfaces[0], SourceDestCheck, and a root volume sized by the AMI")
def _instance_keeps_its_placement():
    # CDK places an instance that needs a public IP through NetworkInterfaces (DeviceIndex 0);
    # moto reads only SubnetId and launches it in the default VPC. It also ignores SourceDestCheck
    # (a NAT instance needs false). And EC2 sizes an EBS mapping without VolumeSize or SnapshotId
    # from the AMI's snapshot (CDK renders one when only the root device's encryption or type is
    # set), where moto raises MissingParameter 'size/snapshot': use the 8 GiB of Amazon Linux roots.
    from moto.ec2.models.instances import Instance

    def before(properties):
        primary = next((n for n in properties.get("NetworkInterfaces") or [] if str(n.get("DeviceIndex")) == "0"), None)
        if primary and "SubnetId" not in properties and primary.get("SubnetId"):
            properties["SubnetId"] = primary["SubnetId"]
        for mapping in properties.get("BlockDeviceMappings") or []:
            ebs = mapping.get("Ebs")
            if isinstance(ebs, dict) and "VolumeSize" not in ebs and "SnapshotId" not in ebs:
                ebs["VolumeSize"] = AMI_ROOT_VOLUME_GIB

    def after(instance, properties):
        if "SourceDestCheck" in properties:
            instance.source_dest_check = str(properties["SourceDestCheck"]).lower() == "true"

    _wrap_classmethod(Instance, "create_from_cloudformation_json", before, after)


@fix("AWS::Lambda::Function: Architectures reaches Lambda")
def _function_keeps_its_architecture():
    # moto's CloudFormation passes a fixed list of properties to CreateFunction, without
    # Architectures, so an arm64 function reads back as x86_64.
    from moto.awslambda.models import LambdaFunction

    def after(function, properties):
        if properties.get("Architectures"):
            function.architectures = properties["Architectures"]

    _wrap_classmethod(LambdaFunction, "create_from_cloudformation_json", after=after)


@fix("AWS::KMS::Key: the KeyPolicy object is stored as the JSON text KMS keeps")
def _key_policy_is_text():
    # CloudFormation takes KeyPolicy as an object; KMS stores and returns it as JSON text. moto
    # stores the object, and every later DescribeKey fails with "the JSON object must be str".
    import json

    from moto.kms.models import Key

    def before(properties):
        if isinstance(properties.get("KeyPolicy"), dict):
            properties["KeyPolicy"] = json.dumps(properties["KeyPolicy"])

    _wrap_classmethod(Key, "create_from_cloudformation_json", before)


@fix("AWS::KMS::Key: Tags ({Key, Value}, as CloudFormation takes them) reach KMS as {TagKey, TagValue}")
def _key_tags_are_kms_tags():
    # CloudFormation's Tags are [{Key, Value}]; KMS's API (and moto's tagger) takes
    # [{TagKey, TagValue}]. moto passes the template's list through and fails with KeyError 'TagKey'.
    from moto.kms.models import Key

    def before(properties):
        tags = properties.get("Tags")
        if isinstance(tags, list):
            properties["Tags"] = [{"TagKey": t["Key"], "TagValue": t["Value"]} if "Key" in t else t for t in tags]

    _wrap_classmethod(Key, "create_from_cloudformation_json", before)


@fix("AWS::RDS::DBParameterGroup, DBSubnetGroup: Ref returns the group's name")
def _rds_group_refs_are_names():
    # Ref of either group is its name. moto's models have no physical_resource_id, so Ref yields
    # the Python object: a DBInstance naming the parameter group fails with "'DBParameterGroup'
    # object has no attribute 'startswith'", and ListStackResources shows the subnet group with
    # no physical ID. (moto's DBInstance reads the subnet group as an object: see the next fix.)
    from moto.rds.models import DBParameterGroup, DBSubnetGroup

    for cls in (DBParameterGroup, DBSubnetGroup):
        if not hasattr(cls, "physical_resource_id"):
            cls.physical_resource_id = property(lambda self: self.name)


class _Named:
    def __init__(self, name):
        self.name = name


DEFAULT_PORTS = {"postgres": 5432, "mysql": 3306, "mariadb": 3306, "oracle": 1521, "sqlserver": 1433}


@fix("AWS::RDS::DBInstance: VPCSecurityGroups, MaxAllocatedStorage, DeletionProtection, ManageMasterUserPassword (with "
     "Fn::GetAtt MasterUserSecret.SecretArn), EnableIAMDatabaseAuthentication, CACertificateIdentifier and "
     "EnableCloudwatchLogsExports reach RDS; Port defaults by engine; Fn::GetAtt DbiResourceId")
def _db_instance_keeps_its_properties():
    # moto's CloudFormation drops MaxAllocatedStorage (storage autoscaling), DeletionProtection, the
    # RDS-managed master password, IAM authentication, the CA and the log exports, all of which its
    # RDS models (and enforces deletion protection on delete, as RDS does), and defaults every
    # engine's port to 3306 where CloudFormation uses the engine's own (5432 for PostgreSQL). With
    # ManageMasterUserPassword, RDS creates the secret and CloudFormation answers its ARN as
    # MasterUserSecret.SecretArn; moto fails that Fn::GetAtt ("does not support attribute type").
    from moto.rds.models import DBInstance, MasterUserSecret

    def before(properties):
        engine = str(properties.get("Engine", "")).lower()
        family = next((f for f in DEFAULT_PORTS if engine.startswith(f) or engine.startswith(f"aurora-{f}")), None)
        if "Port" not in properties and family:
            properties["Port"] = DEFAULT_PORTS[family]
        # CloudFormation's property is VPCSecurityGroups; moto reads VpcSecurityGroupIds, finds
        # nothing, and puts the instance in the VPC's default security group.
        if "VPCSecurityGroups" in properties and "VpcSecurityGroupIds" not in properties:
            properties["VpcSecurityGroupIds"] = properties["VPCSecurityGroups"]
        if isinstance(properties.get("DBSubnetGroupName"), str):
            properties["DBSubnetGroupName"] = _Named(properties["DBSubnetGroupName"])
        # CloudFormation types AllocatedStorage as a string ("20"); RDS and moto compare it as a number.
        if isinstance(properties.get("AllocatedStorage"), str) and properties["AllocatedStorage"].isdigit():
            properties["AllocatedStorage"] = int(properties["AllocatedStorage"])

    def after(instance, properties):
        if "MaxAllocatedStorage" in properties:
            instance.max_allocated_storage = int(properties["MaxAllocatedStorage"])
        if "DeletionProtection" in properties:
            instance.deletion_protection = _truthy(properties["DeletionProtection"])
        if "EnableIAMDatabaseAuthentication" in properties:
            instance.enable_iam_database_authentication = _truthy(properties["EnableIAMDatabaseAuthentication"])
        if "CACertificateIdentifier" in properties:
            instance.ca_certificate_identifier = properties["CACertificateIdentifier"]
        if "EnableCloudwatchLogsExports" in properties:
            instance.enabled_cloudwatch_logs_exports = list(properties["EnableCloudwatchLogsExports"])
        if _truthy(properties.get("ManageMasterUserPassword")):
            instance.manage_master_user_password = True
            instance.master_user_secret = MasterUserSecret(instance, (properties.get("MasterUserSecret") or {}).get("KmsKeyId"))

    _wrap_classmethod(DBInstance, "create_from_cloudformation_json", before, after)

    original_attribute = DBInstance.get_cfn_attribute

    @functools.wraps(original_attribute)
    def get_cfn_attribute(self, attribute_name):
        if attribute_name == "MasterUserSecret.SecretArn" and getattr(self, "master_user_secret", None) is not None:
            return self.master_user_secret.secret_arn
        # The resource ID IAM database authentication policies name (rds-db:connect on
        # dbuser:<DbiResourceId>/<user>); moto's RDS has it, its CloudFormation does not answer it.
        if attribute_name == "DbiResourceId":
            return self.dbi_resource_id
        return original_attribute(self, attribute_name)

    DBInstance.get_cfn_attribute = get_cfn_attribute


@fix("AWS::ElasticLoadBalancingV2::LoadBalancer, TargetGroup: LoadBalancerAttributes and TargetGroupAttributes reach ELB; "
     "a load balancer with deletion protection cannot be deleted, as in ELB")
def _load_balancer_keeps_its_attributes():
    # moto's CloudFormation drops both attribute lists, which its ELB API models (deletion
    # protection, access logs, deregistration delay...), so DescribeLoadBalancerAttributes shows
    # defaults. And ELB refuses to delete a load balancer whose deletion protection is on
    # (OperationNotPermitted), which moto does not: a stack delete there would succeed in moto and
    # fail in AWS.
    from moto.elbv2.exceptions import ELBClientError
    from moto.elbv2.models import ELBv2Backend, FakeLoadBalancer, FakeTargetGroup

    def pairs(properties, key):
        return {str(a["Key"]): str(a["Value"]) for a in properties.get(key) or [] if "Key" in a and "Value" in a}

    def load_balancer(balancer, properties):
        balancer.attrs.update({k: v for k, v in pairs(properties, "LoadBalancerAttributes").items() if k in FakeLoadBalancer.VALID_ATTRS})

    def target_group(group, properties):
        group.attributes.update(pairs(properties, "TargetGroupAttributes"))

    _wrap_classmethod(FakeLoadBalancer, "create_from_cloudformation_json", after=load_balancer)
    _wrap_classmethod(FakeTargetGroup, "create_from_cloudformation_json", after=target_group)

    original_delete = ELBv2Backend.delete_load_balancer

    @functools.wraps(original_delete)
    def delete_load_balancer(self, arn):
        balancer = self.load_balancers.get(arn)
        if balancer is not None and str(balancer.attrs.get("deletion_protection.enabled")).lower() == "true":
            raise ELBClientError("OperationNotPermitted", f"Load balancer '{arn}' cannot be deleted because deletion protection is enabled")
        return original_delete(self, arn)

    ELBv2Backend.delete_load_balancer = delete_load_balancer


@fix("AWS::ElasticLoadBalancingV2::LoadBalancer, TargetGroup: Fn::GetAtt LoadBalancerFullName, TargetGroupFullName, "
     "TargetGroupName and LoadBalancerArns answer as in ELB (CloudWatch dimensions in alarms and dashboards use them)")
def _load_balancer_full_names():
    # moto raises NotImplementedError for LoadBalancerFullName, and its target group has no
    # get_cfn_attribute at all, so any dashboard or alarm on ALB metrics fails to create. ELB
    # derives both full names from the ARN: "app/<name>/<id>" after "loadbalancer/", and
    # "targetgroup/<name>/<id>" after the last ":".
    from moto.elbv2.models import FakeLoadBalancer, FakeTargetGroup

    original_balancer_attribute = FakeLoadBalancer.get_cfn_attribute

    @functools.wraps(original_balancer_attribute)
    def balancer_attribute(self, attribute_name):
        if attribute_name == "LoadBalancerFullName":
            return self.arn.split(":loadbalancer/", 1)[1]
        return original_balancer_attribute(self, attribute_name)

    def target_group_attribute(self, attribute_name):
        from moto.cloudformation.exceptions import UnformattedGetAttTemplateException

        if attribute_name == "TargetGroupFullName":
            return self.arn.rsplit(":", 1)[1]
        if attribute_name == "TargetGroupName":
            return self.name
        if attribute_name == "LoadBalancerArns":
            return list(self.load_balancer_arns)
        raise UnformattedGetAttTemplateException()

    FakeLoadBalancer.get_cfn_attribute = balancer_attribute
    FakeTargetGroup.get_cfn_attribute = target_group_attribute


@fix("AWS::ECS::Cluster: ClusterName, ClusterSettings (Container Insights) and Configuration reach ECS")
def _cluster_keeps_its_settings():
    # moto's CloudFormation passes only the name to its CreateCluster, which models settings: a
    # cluster with Container Insights on reads back 'disabled'.
    from moto.ecs.models import Cluster, ecs_backends

    @classmethod
    def create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        p = cloudformation_json.get("Properties") or {}
        return ecs_backends[account_id][region_name].create_cluster(
            cluster_name=p.get("ClusterName", resource_name),
            cluster_settings=_camel(p.get("ClusterSettings")),
            configuration=_camel(p.get("Configuration")),
        )

    Cluster.create_from_cloudformation_json = create


@fix("AWS::ECS::TaskDefinition: Cpu, NetworkMode, RequiresCompatibilities, RuntimePlatform and roles reach ECS")
def _task_definition_keeps_its_properties():
    # moto's CloudFormation passes only Family, ContainerDefinitions, Volumes and Memory to its own
    # RegisterTaskDefinition, which models the rest; DescribeTaskDefinition then shows no CPU and
    # no architecture. Pass what CloudFormation passes.
    from moto.ecs.models import TaskDefinition, ecs_backends

    @classmethod
    def create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        p = cloudformation_json["Properties"]
        return ecs_backends[account_id][region_name].register_task_definition(
            family=p.get("Family", f"{resource_name}"),
            container_definitions=_camel(p.get("ContainerDefinitions", [])),
            volumes=_camel(p.get("Volumes", [])),
            network_mode=p.get("NetworkMode"),
            requires_compatibilities=p.get("RequiresCompatibilities"),
            cpu=p.get("Cpu"),
            memory=p.get("Memory"),
            task_role_arn=p.get("TaskRoleArn"),
            execution_role_arn=p.get("ExecutionRoleArn"),
            runtime_platform=_camel(p.get("RuntimePlatform")),
            ephemeral_storage=_camel(p.get("EphemeralStorage")),
            tags=_camel(p.get("Tags")),
        )

    TaskDefinition.create_from_cloudformation_json = create


@fix("AWS::ECS::Service: LaunchType, NetworkConfiguration, LoadBalancers and PlatformVersion reach ECS")
def _service_keeps_its_properties():
    # Likewise for CreateService: moto's CloudFormation passes cluster, name, desired count and task
    # definition only, so a service shows no subnets, security groups or target group.
    from moto.ecs.models import Cluster, Service, TaskDefinition, ecs_backends

    @classmethod
    def create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        p = cloudformation_json["Properties"]
        cluster = p["Cluster"].name if isinstance(p["Cluster"], Cluster) else p["Cluster"]
        task = p["TaskDefinition"]
        task = task.arn if isinstance(task, TaskDefinition) else task
        return ecs_backends[account_id][region_name].create_service(
            cluster,
            p.get("ServiceName", resource_name),
            p.get("DesiredCount"),
            task_definition_str=task,
            load_balancers=_camel(p.get("LoadBalancers")),
            launch_type=p.get("LaunchType"),
            platform_version=p.get("PlatformVersion"),
            propagate_tags=p.get("PropagateTags", "NONE"),
            network_configuration=_camel(p.get("NetworkConfiguration")),
            deployment_controller=_camel(p.get("DeploymentController")),
        )

    Service.create_from_cloudformation_json = create


# The status reason of a placeholder's CREATE_COMPLETE event starts with this; deploy-local reads it
# (tools/deploy-local/stack.ts) to report the resource as skipped, not as deployed.
PLACEHOLDER_MARK = "moto_server.py placeholder"
# (stack ID, logical ID, type, physical ID) of the placeholders made in the current request.
_placeholders = []


def _token(size, alphabet="abcdefghijklmnopqrstuvwxyz0123456789"):
    from moto.moto_api._internal import mock_random

    return "".join(mock_random.choice(alphabet) for _ in range(size))


# AWS's short region codes in ElastiCache host names (us-east-1 -> use1, ap-southeast-2 -> apse2).
_DIRECTIONS = {"east": "e", "west": "w", "north": "n", "south": "s", "central": "c",
               "northeast": "ne", "southeast": "se", "northwest": "nw", "southwest": "sw"}


def _short_region(region):
    area, *words, number = region.split("-")
    return area + "".join(_DIRECTIONS.get(w, w[:1]) for w in words) + number


class _Shape:
    """How AWS names one type: its physical ID (what Ref returns) and its Fn::GetAtt attributes.

    `reads` are the properties the shape resolves (their references must resolve too)."""

    def __init__(self, make, reads=()):
        self.make = make
        self.reads = reads


class _Source:
    """What a shape reads: the resource's own properties (resolved on demand) and where it lives."""

    def __init__(self, logical_id, properties, resources_map, account, region):
        from moto.cloudformation.parsing import clean_json

        self.logical_id = logical_id
        self.stack_name = resources_map["AWS::StackName"]
        self.account = account
        self.region = region
        self._properties = properties
        self._clean = lambda value: clean_json(value, resources_map)

    def get(self, name, default=None):
        return self._clean(self._properties[name]) if name in self._properties else default

    def generated_name(self, max_length=255, lower=False):
        """The name CloudFormation generates when the template gives none: stack-logicalId-SUFFIX."""
        suffix = _token(12, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        name = f"{self.stack_name}-{self.logical_id}"[: max_length - 13] + "-" + suffix
        return name.lower() if lower else name

    def arn(self, service, resource):
        return f"arn:aws:{service}:{self.region}:{self.account}:{resource}"


def _replication_group(s):
    # https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Endpoints.html: with in-transit
    # encryption the primary and reader endpoints are master./replica.<id>.<token>.<region>.cache…
    rg = s.get("ReplicationGroupId") or s.generated_name(40, lower=True)
    host = f"{_token(6)}.{_short_region(s.region)}.cache.amazonaws.com"
    port = str(s.get("Port", 6379))
    clustered = str(s.get("ClusterMode", "")).lower() == "enabled" or int(s.get("NumNodeGroups", 1)) > 1
    if clustered:
        return rg, {"ConfigurationEndPoint.Address": f"clustercfg.{rg}.{host}", "ConfigurationEndPoint.Port": port}
    tls = _truthy(s.get("TransitEncryptionEnabled", False))
    primary = f"master.{rg}.{host}" if tls else f"{rg}.{host.replace('.', '.ng.0001.', 1)}"
    reader = f"replica.{rg}.{host}" if tls else f"{rg}-ro.{host.replace('.', '.ng.0001.', 1)}"
    return rg, {"PrimaryEndPoint.Address": primary, "PrimaryEndPoint.Port": port,
                "ReaderEndPoint.Address": reader, "ReaderEndPoint.Port": port}


def _secret(s):
    # Secrets Manager appends a dash and 6 random characters to the name in the ARN (Ref is the ARN).
    name = s.get("Name") or f"{s.logical_id}-{_token(12, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}"
    arn = s.arn("secretsmanager", f"secret:{name}-{_token(6, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz')}")
    return arn, {"Id": arn}


def _db_proxy(s):
    name = s.get("DBProxyName") or s.generated_name(63)
    endpoint = f"{name.lower()}.proxy-{_token(12)}.{s.region}.rds.amazonaws.com"
    return name, {"DBProxyArn": s.arn("rds", f"db-proxy:prx-{_token(17, '0123456789abcdef')}"), "Endpoint": endpoint}


def _alarm(s):
    name = s.get("AlarmName") or s.generated_name()
    return name, {"Arn": s.arn("cloudwatch", f"alarm:{name}")}


def _schedule(s):
    name = s.get("Name") or s.generated_name(64)
    return name, {"Arn": s.arn("scheduler", f"schedule/{s.get('GroupName', 'default')}/{name}")}


def _schedule_group(s):
    name = s.get("Name") or s.generated_name(64)
    return name, {"Arn": s.arn("scheduler", f"schedule-group/{name}")}


def _distribution(s):
    # CloudFront distribution IDs are E + 13 upper-case letters and digits, and the default domain
    # is d + 13 lower-case characters under cloudfront.net (docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/distribution-web-values-returned.html).
    distribution_id = "E" + _token(13, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    return distribution_id, {"Id": distribution_id, "DomainName": f"d{_token(13)}.cloudfront.net"}


def _named(property_name, max_length=255, lower=False):
    def make(s):
        return s.get(property_name) or s.generated_name(max_length, lower), {}

    return make


# Types moto's CloudFormation does not model, as AWS names them. Only a resource that something moto
# creates (or an output) refers to gets a placeholder; the rest stay skipped.
PLACEHOLDER_SHAPES = {
    "AWS::ElastiCache::ReplicationGroup": _Shape(_replication_group, ("ReplicationGroupId", "Port", "ClusterMode", "NumNodeGroups", "TransitEncryptionEnabled")),
    "AWS::ElastiCache::SubnetGroup": _Shape(_named("CacheSubnetGroupName", lower=True), ("CacheSubnetGroupName",)),
    "AWS::ElastiCache::ParameterGroup": _Shape(_named("CacheParameterGroupName", lower=True), ("CacheParameterGroupName",)),
    "AWS::SecretsManager::Secret": _Shape(_secret, ("Name",)),
    # Ref of an attachment is the ARN of the secret it attaches.
    "AWS::SecretsManager::SecretTargetAttachment": _Shape(lambda s: (s.get("SecretId"), {}), ("SecretId",)),
    "AWS::RDS::DBProxy": _Shape(_db_proxy, ("DBProxyName",)),
    "AWS::CloudWatch::Alarm": _Shape(_alarm, ("AlarmName",)),
    "AWS::CloudWatch::CompositeAlarm": _Shape(_alarm, ("AlarmName",)),
    "AWS::Scheduler::Schedule": _Shape(_schedule, ("Name", "GroupName")),
    "AWS::Scheduler::ScheduleGroup": _Shape(_schedule_group, ("Name",)),
    # moto 5 has no CloudFormation model for CloudFront or WAFv2: the distribution is not created,
    # and the WebUrl output and the dashboard read its ID and domain name from this placeholder.
    "AWS::CloudFront::Distribution": _Shape(_distribution),
}


class _Placeholder:
    """Stands in for a resource moto does not model: Ref and Fn::GetAtt answer values shaped like
    AWS's, nothing is created, and deleting it does nothing."""

    def __init__(self, logical_id, resource_type, physical_id, attributes):
        self.logical_resource_id = logical_id
        self.cf_resource_type = resource_type
        self.physical_resource_id = physical_id
        self.attributes = attributes

    def get_cfn_attribute(self, name):
        from moto.cloudformation.exceptions import ValidationError

        if name not in self.attributes:
            raise ValidationError(message=f"Template error: {self.logical_resource_id} ({self.cf_resource_type}) is a placeholder "
                                          f"(moto does not model the type), and moto_server.py gives it no attribute {name}: add it to PLACEHOLDER_SHAPES")
        return self.attributes[name]

    @staticmethod
    def is_created():
        return True

    def delete(self, account_id, region_name):
        pass


def _is_modelled(resource_type):
    from moto.cloudformation.parsing import NULL_MODELS, get_model_map

    return resource_type in get_model_map() or resource_type.startswith("Custom::") or resource_type in NULL_MODELS


def _placeholders_needed(resources_map):
    """Logical IDs of unmodelled resources that a modelled resource or an output refers to, and,
    through the properties a placeholder's shape reads, the unmodelled resources those refer to."""
    json_map = resources_map._resource_json_map
    cached = getattr(resources_map, "_deploy_local_needed", None)
    if cached is not None and cached[0] is json_map:
        return cached[1]
    frontier = set()
    for resource in json_map.values():
        if _is_modelled(resource.get("Type", "")):
            frontier |= _references(resource)
    frontier |= _references((resources_map._template or {}).get("Outputs") or {})
    needed = set()
    while frontier:
        logical_id = frontier.pop()
        resource = json_map.get(logical_id)
        if resource is None or logical_id in needed or _is_modelled(resource.get("Type", "")):
            continue
        needed.add(logical_id)
        shape = PLACEHOLDER_SHAPES.get(resource["Type"])
        properties = resource.get("Properties") or {}
        frontier |= _references([properties[p] for p in (shape.reads if shape else ()) if p in properties])
    resources_map._deploy_local_needed = (json_map, needed)
    return needed


@fix("types moto does not model that a created resource or an output refers to get a placeholder: Ref and Fn::GetAtt "
     f"answer values shaped like AWS's ({', '.join(t.replace('AWS::', '') for t in PLACEHOLDER_SHAPES)}); "
     "nothing is created, and a CREATE_COMPLETE event says so")
def _placeholders_for_referenced_types():
    # moto skips a type it does not model, and then a Fn::GetAtt to it fails the deploy ("references
    # undefined resource") and a Ref to it silently drops the property that holds it. CloudFormation
    # would create the resource and answer with its name, ARN or endpoint. A placeholder answers with
    # a value of the same shape, so the resources that refer to it deploy as they would in AWS; the
    # resource itself is still not created, and deploy-local reports it as skipped.
    from moto.cloudformation import models, parsing

    original_create = parsing.parse_and_create_resource

    @functools.wraps(original_create)
    def create(logical_id, resource_json, resources_map, account_id, region_name):
        resource_type = resource_json.get("Type", "")
        if _is_modelled(resource_type) or logical_id not in _placeholders_needed(resources_map):
            return original_create(logical_id, resource_json, resources_map, account_id, region_name)
        if resource_json.get("Condition") and not resources_map.lazy_condition_map[resource_json["Condition"]]:
            return None
        shape = PLACEHOLDER_SHAPES.get(resource_type)
        if shape is None:
            raise ValueError(f"moto does not model {resource_type}, and {logical_id} is referred to by a resource moto creates "
                             "(or an output); moto_server.py has no placeholder shape for the type: add one to PLACEHOLDER_SHAPES")
        source = _Source(logical_id, resource_json.get("Properties") or {}, resources_map, account_id, region_name)
        physical_id, attributes = shape.make(source)
        log.warning("moto_server.py: placeholder for %s (%s): %s", logical_id, resource_type, physical_id)
        _placeholders.append((resources_map.stack_id, logical_id, resource_type, physical_id))
        return _Placeholder(logical_id, resource_type, physical_id, attributes)

    parsing.parse_and_create_resource = create

    original_execute = models.CloudFormationBackend.execute_change_set

    @functools.wraps(original_execute)
    def execute(self, change_set_name, stack_name=None):
        del _placeholders[:]
        original_execute(self, change_set_name, stack_name)
        for stack_id, logical_id, resource_type, physical_id in _placeholders:
            stack = self.stacks.get(stack_id)
            if stack is None:
                continue
            reason = (f"{PLACEHOLDER_MARK}: moto does not model {resource_type}; Ref and Fn::GetAtt answer made-up values "
                      "shaped like AWS's so the resources that refer to it deploy. Not created, not verified.")
            event = models.Event(stack_id, stack.name, logical_id, physical_id, resource_type, "CREATE_COMPLETE", reason, None)
            stack.events.insert(max(len(stack.events) - 1, 0), event)  # before the stack's own CREATE_COMPLETE

    models.CloudFormationBackend.execute_change_set = execute


@fix("a resource moto fails to create is logged with its cause, and fails the stack with a CREATE_FAILED event")
def _failures_are_reported_like_cloudformation():
    # moto's ResourceMap.get() treats a KeyError raised while creating a resource as "not there",
    # and an ExecuteChangeSet that raises answers HTTP 500 and leaves the stack CREATE_COMPLETE.
    # CloudFormation instead records CREATE_FAILED with the reason and rolls the stack back; the
    # CDK CLI reads those events to explain the failure.
    from moto.cloudformation import models, parsing

    original_create = parsing.parse_and_create_resource

    @functools.wraps(original_create)
    def create(logical_id, resource_json, *args, **kwargs):
        try:
            return original_create(logical_id, resource_json, *args, **kwargs)
        except Exception as error:
            reason = f"{type(error).__name__}: {error}"
            log.error("moto could not create %s (%s): %s", logical_id, resource_json.get("Type"), reason)
            _failures.append((logical_id, resource_json.get("Type"), reason))
            raise

    parsing.parse_and_create_resource = create

    original_execute = models.CloudFormationBackend.execute_change_set

    @functools.wraps(original_execute)
    def execute(self, change_set_name, stack_name=None):
        del _failures[:]
        change_set = self.change_sets.get(change_set_name) or next(
            (c for c in self.change_sets.values() if c.change_set_name == change_set_name), None)
        try:
            original_execute(self, change_set_name, stack_name)
        except Exception as error:
            if change_set is None:
                raise
            stack = self.stacks[change_set.stack_id]
            logical_id, resource_type, reason = _failures[-1] if _failures else (stack.name, "AWS::CloudFormation::Stack", f"{type(error).__name__}: {error}")
            action = "CREATE" if change_set.change_set_type == "CREATE" else "UPDATE"
            stack.events.append(models.Event(stack.stack_id, stack.name, logical_id, "", resource_type,
                                             f"{action}_FAILED", reason, None))
            rollback = "ROLLBACK" if action == "CREATE" else "UPDATE_ROLLBACK"
            stack._add_stack_event(f"{rollback}_IN_PROGRESS",
                                   resource_status_reason=f"The following resource(s) failed to {action.lower()}: [{logical_id}].")
            if action == "CREATE":
                # Roll back as CloudFormation does: delete what was created; the stack keeps nothing
                # (else moto re-creates every resource the next time the stack is listed).
                try:
                    stack.resource_map.delete()
                except Exception as rollback_error:
                    log.error("moto could not roll back %s: %s", stack.name, rollback_error)
                stack.resource_map._resource_json_map.clear()
            stack._add_stack_event(f"{rollback}_COMPLETE")
            stack.status = f"{rollback}_COMPLETE"
            change_set.execution_status = "EXECUTE_FAILED"
            return
        # moto keeps the outputs of the template the stack had before the change set (none, for a
        # new stack), so DescribeStacks shows none; CloudFormation shows the executed template's.
        stack = self.stacks[change_set.stack_id] if change_set else None
        if stack is not None:
            stack._parse_template()
            stack.output_map = stack._create_output_map()

    models.CloudFormationBackend.execute_change_set = execute


@fix("AWS::EC2::RouteTable, Route, InternetGateway, VPCGatewayAttachment, NatGateway, EIP, FlowLog, VPCEndpoint, "
     "AWS::ECS::Service, Cluster, TaskDefinition, AWS::ElasticLoadBalancingV2::Listener, TargetGroup are deleted with their stack")
def _stack_delete_deletes_what_it_created():
    # moto's CloudFormation has no delete for these types: it reports them deleted and leaves them,
    # and the VPC then cannot be deleted ("has dependencies": its route tables). Delete each
    # through moto's own API, as CloudFormation would.
    from moto.ec2.models import ec2_backends
    from moto.ec2.models.elastic_ip_addresses import ElasticAddress
    from moto.ec2.models.flow_logs import FlowLogs
    from moto.ec2.models.internet_gateways import InternetGateway
    from moto.ec2.models.nat_gateways import NatGateway
    from moto.ec2.models.route_tables import Route, RouteTable
    from moto.ec2.models.vpcs import VPCEndPoint
    from moto.ec2.models.vpn_gateway import VPCGatewayAttachment
    from moto.ecs.models import Cluster, Service, TaskDefinition, ecs_backends
    from moto.elbv2.models import FakeListener, FakeTargetGroup, elbv2_backends

    def route_table(self, ec2):
        for association_id in list(self._associations):
            ec2.disassociate_route_table(association_id)
        ec2.delete_route_table(self.id)

    def route(self, ec2):
        if self.route_table.id in ec2.route_tables:
            cidr = self.destination_cidr_block or self.destination_ipv6_cidr_block
            prefix = getattr(self.destination_prefix_list, "id", None) if self.destination_prefix_list else None
            if cidr or prefix:
                ec2.delete_route(self.route_table.id, cidr, destination_prefix_list_id=prefix)

    def internet_gateway(self, ec2):
        if self.vpc is not None:
            ec2.detach_internet_gateway(self.id, self.vpc.id)
        ec2.delete_internet_gateway(self.id)

    def gateway_attachment(self, ec2):
        igw = ec2.internet_gateways.get(self.gateway_id)
        if igw is not None and igw.vpc is not None:
            ec2.detach_internet_gateway(self.gateway_id, self.vpc_id)

    ec2_deleters = {
        RouteTable: route_table,
        Route: route,
        InternetGateway: internet_gateway,
        VPCGatewayAttachment: gateway_attachment,
        NatGateway: lambda self, ec2: ec2.delete_nat_gateway(self.id),
        ElasticAddress: lambda self, ec2: ec2.release_address(allocation_id=self.allocation_id) if self.allocation_id else ec2.release_address(address=self.public_ip),
        FlowLogs: lambda self, ec2: ec2.delete_flow_logs([self.id]),
        VPCEndPoint: lambda self, ec2: ec2.delete_vpc_endpoints([self.id]),
    }
    for cls, deleter in ec2_deleters.items():
        cls.delete = (lambda d: lambda self, account_id, region_name: d(self, ec2_backends[account_id][region_name]))(deleter)

    ecs_deleters = {
        Service: lambda self, ecs: ecs.delete_service(self.cluster_name, self.name, force=True),
        Cluster: lambda self, ecs: ecs.delete_cluster(self.name),
        TaskDefinition: lambda self, ecs: ecs.deregister_task_definition(self.arn),
    }
    for cls, deleter in ecs_deleters.items():
        cls.delete = (lambda d: lambda self, account_id, region_name: d(self, ecs_backends[account_id][region_name]))(deleter)

    FakeListener.delete = lambda self, account_id, region_name: elbv2_backends[account_id][region_name].delete_listener(self.arn)
    FakeTargetGroup.delete = lambda self, account_id, region_name: elbv2_backends[account_id][region_name].delete_target_group(self.arn)


def _references(value):
    """Logical IDs a template value refers to (Ref, Fn::GetAtt, ${X} in Fn::Sub)."""
    found = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "Ref" and isinstance(inner, str):
                found.add(inner)
            elif key == "Fn::GetAtt":
                found.add(inner[0] if isinstance(inner, list) else str(inner).split(".")[0])
            elif key == "Fn::Sub":
                text = inner[0] if isinstance(inner, list) else inner
                found.update(m.split(".")[0] for m in re.findall(r"\$\{([^}!][^}]*)\}", str(text)))
                found |= _references(inner[1] if isinstance(inner, list) and len(inner) > 1 else None)
            else:
                found |= _references(inner)
    elif isinstance(value, list):
        for inner in value:
            found |= _references(inner)
    return found


def _final_snapshot(resource, resource_json, account_id, region_name):
    """DeletionPolicy Snapshot: CloudFormation snapshots a DB instance before deleting it."""
    if resource_json.get("Type") != "AWS::RDS::DBInstance":
        return
    from moto.rds.models import rds_backends

    identifier = resource.db_instance_identifier
    backend = rds_backends[account_id][region_name]
    name = f"{identifier}-final-snapshot"
    if name not in backend.database_snapshots:  # a delete retried after a failure snapshots once
        backend.create_db_snapshot(identifier, name)


@fix("stack delete goes in reverse dependency order, keeps resources whose DeletionPolicy is Retain or "
     "RetainExceptOnCreate, and snapshots a DB instance whose DeletionPolicy is Snapshot")
def _delete_in_dependency_order():
    # moto deletes in set order and retries what fails, so a route table can go before the VPC
    # endpoint that routes through it, and the endpoint then cannot be deleted. CloudFormation
    # deletes a resource only after everything that refers to it. It also retains
    # RetainExceptOnCreate resources of a stack that was created successfully, and takes a final
    # snapshot of a DB instance whose policy is Snapshot; moto deletes both outright.
    from moto.cloudformation import parsing

    def delete(self):
        json_map = self._resource_json_map
        doomed = {k for k, v in json_map.items() if v.get("DeletionPolicy") not in ("Retain", "RetainExceptOnCreate")}
        needs = {}
        for key in doomed:
            depends = json_map[key].get("DependsOn", [])
            needs[key] = (_references(json_map[key]) | set([depends] if isinstance(depends, str) else depends)) & doomed
        last_error = None
        while doomed:
            # Deletable now: nothing still standing refers to it.
            ready = [k for k in doomed if not any(k in needs[other] for other in doomed if other != k)]
            progress = False
            for key in sorted(ready):
                parsed = self._parsed_resources.get(key)
                try:
                    if parsed is not None and not isinstance(parsed, str):
                        if json_map[key].get("DeletionPolicy") == "Snapshot":
                            _final_snapshot(parsed, json_map[key], self._account_id, self._region_name)
                        self._delete_resource(parsed, json_map[key])
                        self._parsed_resources.pop(key, None)
                except Exception as error:
                    last_error = error
                    _delete_failures.append((key, json_map[key].get("Type"), f"{type(error).__name__}: {error}"))
                    continue
                doomed.discard(key)
                progress = True
            if not progress:
                raise last_error or RuntimeError(f"cannot order the deletion of {sorted(doomed)}")

    parsing.ResourceMap.delete = delete


@fix("a resource moto fails to delete fails the stack delete with a DELETE_FAILED event, and the stack stays")
def _delete_failures_are_reported_like_cloudformation():
    # moto removes the stack from its list before deleting its resources; when one cannot be
    # deleted (RDS deletion protection, say) the request answers HTTP 500 and the stack is lost
    # with its resources. CloudFormation keeps the stack as DELETE_FAILED and says which resource
    # failed and why.
    from moto.cloudformation import models

    original_delete_stack = models.CloudFormationBackend.delete_stack

    @functools.wraps(original_delete_stack)
    def delete_stack(self, name_or_stack_id):
        stack = next((s for s in self.stacks.values() if name_or_stack_id in (s.stack_id, s.name)), None)
        del _delete_failures[:]
        try:
            original_delete_stack(self, name_or_stack_id)
        except Exception:
            if stack is None:
                raise
            self.stacks[stack.stack_id] = stack
            self.deleted_stacks.pop(stack.stack_id, None)
            remaining = stack.resource_map._parsed_resources
            failed = {logical_id: (resource_type, reason) for logical_id, resource_type, reason in _delete_failures if logical_id in remaining}
            # What was deleted is gone from the stack, as in CloudFormation; moto would re-create it
            # on the next ListStackResources, which reads every resource of the template.
            json_map = stack.resource_map._resource_json_map
            for logical_id in [k for k in json_map if k not in remaining]:
                del json_map[logical_id]
            for logical_id, (resource_type, reason) in failed.items():
                stack.events.append(models.Event(stack.stack_id, stack.name, logical_id, "", resource_type, "DELETE_FAILED", reason, None))
            stack._add_stack_event("DELETE_FAILED", resource_status_reason=f"The following resource(s) failed to delete: [{', '.join(failed)}].")
            stack.status = "DELETE_FAILED"

    models.CloudFormationBackend.delete_stack = delete_stack


@fix("AWS::EC2::SecurityGroupIngress: a managed prefix list (SourcePrefixListId) is a source")
def _ingress_from_a_prefix_list():
    # The web load balancer admits CloudFront only, through the origin-facing managed prefix list
    # (SourcePrefixListId). moto's SecurityGroupIngress asserts a CIDR or a source group, so the
    # rule fails with a bare AssertionError and the whole deploy with it. EC2 takes a prefix list
    # as a source (PrefixListIds on the rule), and moto's backend does too: pass it there.
    from moto.ec2.models import ec2_backends
    from moto.ec2.models.security_groups import SecurityGroupIngress

    original = SecurityGroupIngress.create_from_cloudformation_json.__func__

    @functools.wraps(original)
    def wrapped(klass, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        properties = cloudformation_json.get("Properties") or {}
        prefix_list = properties.get("SourcePrefixListId")
        other_source = any(properties.get(k) for k in ("CidrIp", "CidrIpv6", "SourceSecurityGroupId", "SourceSecurityGroupName"))
        if not prefix_list or other_source:
            return original(klass, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        backend = ec2_backends[account_id][region_name]
        group = backend.describe_security_groups(group_ids=[properties["GroupId"]])[0]
        backend.authorize_security_group_ingress(
            group_name_or_id=group.id,
            ip_protocol=str(properties.get("IpProtocol")),
            from_port=properties.get("FromPort"),
            to_port=properties.get("ToPort"),
            ip_ranges=[],
            prefix_list_ids=[{"PrefixListId": prefix_list, "Description": properties.get("Description")}],
        )
        return klass(group, properties)

    SecurityGroupIngress.create_from_cloudformation_json = classmethod(wrapped)


@fix("AWS::Logs::LogGroup: KmsKeyId reaches CloudWatch Logs")
def _log_group_keeps_its_key():
    # moto's CloudFormation passes the template's PascalCase properties to CreateLogGroup, whose
    # model reads the API's camelCase kmsKeyId: an encrypted log group reads back without its key.
    from moto.logs.models import LogGroup

    def after(group, properties):
        if properties.get("KmsKeyId"):
            group.kms_key_id = properties["KmsKeyId"]

    _wrap_classmethod(LogGroup, "create_from_cloudformation_json", after=after)


def _exit_with_parent():
    """Stop when the process that started this server is gone, even if it was killed outright."""
    import os
    import threading
    import time

    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    listed = []
    for summary, apply in FIXES:
        try:
            apply()
            listed.append(summary)
        except Exception as error:  # a moto version this fix does not fit: run without it, and say so
            log.warning("moto_server.py: fix not applied (%s: %s): %s", type(error).__name__, error, summary)
            listed.append(f"NOT APPLIED ({type(error).__name__}: {error}): {summary}")
    import moto

    if moto.__version__ != MOTO_VERSION:
        # Said first, where deploy-local prints the fixes: a fix may no longer fit, or no longer be needed.
        note = (f"NOTE: these fixes were written for moto {MOTO_VERSION}; this is moto {moto.__version__}: "
                "check each against it (tools/deploy-local/README.md)")
        log.warning("moto_server.py: %s", note)
        listed.insert(0, note)
    if "--list-fixes" in sys.argv:
        print("\n".join(listed))
        sys.exit(0)
    _exit_with_parent()
    from moto.server import main

    main(sys.argv[1:])
