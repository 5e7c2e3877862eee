"""Admin scenarios of ck_scenarios.py that need no broker: the admin API's names, its
classes and enums (constructors, reprs, equality, ordering, validation), every
AdminClient method's argument checks, and request timeouts against a closed port."""

import time

from ck_admin_common import A, acall, adm, aout, fut, futures_keys, xexc
from ck_common import DEAD, ck, out, scenario

ADMIN_NAMES = (
    "AdminClient NewTopic NewPartitions ConfigResource ConfigEntry ConfigSource AlterConfigOpType "
    "ResourceType ResourcePatternType AclBinding AclBindingFilter AclOperation AclPermissionType "
    "ConsumerGroupListing ListConsumerGroupsResult ConsumerGroupDescription MemberDescription "
    "MemberAssignment TopicDescription DescribeClusterResult ScramMechanism ScramCredentialInfo "
    "UserScramCredentialsDescription UserScramCredentialAlteration UserScramCredentialUpsertion "
    "UserScramCredentialDeletion OffsetSpec ListOffsetsResultInfo DeletedRecords BrokerMetadata "
    "ClusterMetadata GroupMember GroupMetadata PartitionMetadata TopicMetadata KafkaException KafkaError "
    "OFFSET_INVALID CONFIG_SOURCE_DEFAULT_CONFIG CONFIG_SOURCE_DYNAMIC_BROKER_CONFIG "
    "CONFIG_SOURCE_DYNAMIC_DEFAULT_BROKER_CONFIG CONFIG_SOURCE_DYNAMIC_TOPIC_CONFIG CONFIG_SOURCE_GROUP_CONFIG "
    "CONFIG_SOURCE_STATIC_BROKER_CONFIG CONFIG_SOURCE_UNKNOWN_CONFIG RESOURCE_ANY RESOURCE_BROKER "
    "RESOURCE_GROUP RESOURCE_TOPIC RESOURCE_TRANSACTIONAL_ID RESOURCE_UNKNOWN _AdminClientImpl")
CLIENT_METHODS = (
    "create_topics delete_topics create_partitions describe_configs alter_configs incremental_alter_configs "
    "create_acls describe_acls delete_acls list_consumer_groups describe_consumer_groups "
    "delete_consumer_groups list_consumer_group_offsets alter_consumer_group_offsets "
    "describe_user_scram_credentials alter_user_scram_credentials describe_topics describe_cluster "
    "list_offsets delete_records elect_leaders list_topics list_groups cluster_id poll set_sasl_credentials "
    "__len__ __enter__ __exit__")
ROOT_NAMES = ("ConsumerGroupState ConsumerGroupType ConsumerGroupTopicPartitions ElectionType IsolationLevel "
              "Node TopicCollection TopicPartitionInfo Uuid AcknowledgeType")


@scenario("offline", brokers=("none",))
def admin_api_surface():
    a = adm()
    out("admin.names", {n: hasattr(a, n) for n in ADMIN_NAMES.split()})
    out("admin.client", {n: hasattr(a.AdminClient, n) for n in CLIENT_METHODS.split()})
    out("admin.subclass", issubclass(a.AdminClient, a._AdminClientImpl))
    out("root.names", {n: hasattr(ck, n) for n in ROOT_NAMES.split()})
    out("root.same", [getattr(ck, n, None) is getattr(a, n, 0) for n in
                      "ConsumerGroupTopicPartitions KafkaError KafkaException".split()])
    out("constants", {n: getattr(a, n) for n in ADMIN_NAMES.split() if n.isupper()})
    for n in ("ConfigSource AlterConfigOpType ResourceType ResourcePatternType AclOperation AclPermissionType "
              "ScramMechanism").split():
        e = getattr(a, n)
        out("enum." + n, [[m.name, m.value, repr(m), str(m)] for m in e] + [sorted(e.__members__)])
    for n in ROOT_NAMES.split():
        e = getattr(ck, n)
        if isinstance(e, type) and hasattr(e, "__members__"):
            out("enum." + n, [[m.name, m.value, repr(m), str(m)] for m in e] + [sorted(e.__members__)])
    S = ck.ConsumerGroupState
    acall("enum.alias", lambda: [S.UNKOWN is S.UNKNOWN, S["UNKOWN"].name, S(0).name])
    acall("enum.order", lambda: [S.STABLE < S.DEAD, sorted([S.EMPTY, S.UNKNOWN, S.STABLE]),
                                 a.ResourceType.TOPIC < a.ResourceType.BROKER, ck.IsolationLevel.READ_COMMITTED >
                                 ck.IsolationLevel.READ_UNCOMMITTED, ck.ElectionType.PREFERRED < ck.ElectionType.UNCLEAN])
    acall("enum.order.mixed", lambda: S.STABLE < a.ResourceType.TOPIC)
    acall("enum.order.int", lambda: a.ScramMechanism.SCRAM_SHA_256 < 2)
    acall("enum.bad", a.AclOperation, 42)
    acall("enum.ack", lambda: [int(ck.AcknowledgeType.ACCEPT), ck.AcknowledgeType(3).name])


@scenario("offline", brokers=("none",))
def admin_classes():
    a = adm()
    NT, NP = a.NewTopic, a.NewPartitions
    for args, kw in [(("t",), {}), (("t", 3), {}), (("t", 3, 2), {}), (("t", -1, -1, [[1], [2]]), {}),
                     (("t",), {"config": {"a": "1"}}), (("t", 1), {"replication_factor": 5}),
                     ((1,), {}), (("t", "3"), {}), (("t", 1.5), {}), (("t", 2 ** 40), {}), ((), {}),
                     (("t",), {"config": "x"}), (("t",), {"bogus": 1}), (("t\0x",), {}), (("t", True), {})]:
        acall("newtopic%r%r" % (args, kw), NT, *args, **kw)
    t = NT("t", 3)
    acall("newtopic.eq", lambda: [NT("t", 3) == t, NT("t", 3) != t, NT("t", 4) == t, NT("u", 3) == t,
                                  NT("t", 3, 1) == t, hash(NT("t", 3)) == hash(t), hash(NT("t")) == hash("t")])
    acall("newtopic.order", lambda: [repr(x) for x in sorted([NT("b"), NT("a", 5), NT("a", 2), NT("a")])])
    acall("newtopic.lt", lambda: [NT("a") < NT("b"), NT("a", 2) <= NT("a", 2), NT("a", 3) > NT("a", 2)])
    acall("newtopic.eq_other", lambda: NT("t") == "t")
    acall("newtopic.set_topic", setattr, t, "topic", "u")
    acall("newtopic.set_num", lambda: (setattr(t, "num_partitions", 7), repr(t))[1])
    acall("newtopic.set_num_bad", setattr, t, "num_partitions", "x")
    acall("newtopic.set_rf", lambda: (setattr(t, "replication_factor", 2), t.replication_factor)[1])
    acall("newtopic.set_ra", lambda: (setattr(t, "replica_assignment", [[1]]), t.replica_assignment)[1])
    acall("newtopic.set_config", lambda: (setattr(t, "config", {"x": "y"}), t.config)[1])
    acall("newtopic.defaults", lambda: [NT("d").num_partitions, NT("d").replication_factor,
                                        NT("d").replica_assignment, NT("d").config])
    for args in [("t", 5), ("t", 5, [[1, 2]]), ("t",), (1, 2), ("t", "5"), ("t", 0)]:
        acall("newpartitions%r" % (args,), NP, *args)
    acall("newpartitions.eq", lambda: [NP("t", 5) == NP("t", 5), NP("t", 5) == NP("t", 6), NP("t", 5) < NP("t", 6),
                                       hash(NP("t", 5)) == hash(NP("t", 5)), NP("t", 1) == NT("t", 1)])
    acall("newpartitions.set", lambda: (setattr(NP("t", 1), "new_total_count", 3)))

    CR = a.ConfigResource
    for args, kw in [((a.ResourceType.TOPIC, "t"), {}), (("topic", "t"), {}), (("BROKER", "1"), {}),
                     ((2, "t"), {}), (("nope", "t"), {}), ((a.ResourceType.TOPIC, None), {}), ((99, "t"), {}),
                     ((2.0, "t"), {}), ((a.ResourceType.GROUP, "g"), {"set_config": {"a": "b"}}),
                     ((2, "t"), {"described_configs": {"x": 1}, "error": ck.KafkaError(3)}),
                     ((2, "t"), {"incremental_configs": [a.ConfigEntry("x", "1")]})]:
        acall("configresource%r%r" % (args, kw), lambda: (lambda r: [repr(r), str(r), len(r), A(r)])(CR(*args, **kw)))
    r = CR("topic", "t", set_config={"a": "1"})
    r.set_config("a", "2", overwrite=False)
    r.set_config("b", "3")
    r.add_incremental_config(a.ConfigEntry("c", "4", incremental_operation=a.AlterConfigOpType.APPEND))
    aout("configresource.set", [r.set_config_dict, len(r), r.incremental_configs, r.restype_int])
    acall("configresource.eq", lambda: [CR(2, "t") == CR("TOPIC", "t"), CR(2, "t") == CR(3, "t"),
                                        hash(CR(2, "t")) == hash(CR(a.ResourceType.TOPIC, "t")), CR(2, "t") == "t",
                                        CR(2, "a") < CR(2, "b"), CR(3, "a") < CR(2, "b"), CR(2, "b") <= CR(3, "a"),
                                        [repr(x) for x in sorted([CR(4, "1"), CR(2, "b"), CR(2, "a"), CR(3, "z")])]])
    acall("configresource.type", lambda: a.ConfigResource.Type is a.ResourceType)
    CE = a.ConfigEntry
    for args, kw in [(("n", "v"), {}), (("n", None), {}), (("n", "v", a.ConfigSource.DEFAULT_CONFIG, 1, 0, 1, 0), {}),
                     (("n", "v"), {"incremental_operation": a.AlterConfigOpType.DELETE}), (("n",), {})]:
        acall("configentry%r%r" % (args, kw), lambda: (lambda e: [repr(e), str(e), A(e)])(CE(*args, **kw)))
    acall("configentry.synonyms_default", lambda: CE("a", "b").synonyms == {})

    AB, AF = a.AclBinding, a.AclBindingFilter
    ok = (a.ResourceType.TOPIC, "t", a.ResourcePatternType.LITERAL, "User:u", "*", a.AclOperation.READ,
          a.AclPermissionType.ALLOW)
    for cls in (AB, AF):
        n = cls.__name__
        for args in [ok, ("topic", "t", "literal", "User:u", "*", "read", "allow"), (2, "t", 3, "User:u", "*", 3, 3),
                     (1, "t", 3, "u", "h", 3, 3), (2, None, 3, "u", "h", 3, 3), (2, "t", 3, "u", 7, 3, 3),
                     (2, "t", 3, "u", "h", 3, "nope"), (2, "t", 3, "u", "h", 3, 1.5), (2, "t", 2, "u", "h", 3, 3),
                     (2, "t", 1, "u", "h", 1, 1), (0, "t", 3, "u", "h", 0, 3), (None, "t", 3, "u", "h", 3, 3),
                     (1, None, 1, None, None, 1, 1), (2, "t", 3, "u", "h", 99, 3)]:
            acall("%s%r" % (n, args), lambda: (lambda b: [repr(b), str(b), b.restype_int, b.operation_int])(cls(*args)))
    b1, b2 = AB(*ok), AB(2, "t", 3, "User:u", "*", 4, 3)
    acall("aclbinding.eq", lambda: [b1 == AB(*ok), b1 == b2, b1 == AF(*ok), hash(b1) == hash(AB(*ok)), b1 < b2,
                                    b2 >= b1, [repr(x) for x in sorted([b2, b1])], len({b1, AB(*ok), b2}), b1 == "x"])

    acall("offsetspec", lambda: [type(x).__name__ for x in (
        a.OffsetSpec.earliest(), a.OffsetSpec.latest(), a.OffsetSpec.max_timestamp(), a.OffsetSpec.for_timestamp(5),
        a.OffsetSpec(-1), a.OffsetSpec(-2), a.OffsetSpec(-3), a.OffsetSpec(7))])
    acall("offsetspec.values", lambda: [a.OffsetSpec(-1) is a.OffsetSpec.latest(), a.OffsetSpec(7).timestamp,
                                        a.OffsetSpec.for_timestamp(9)._value, a.OffsetSpec.earliest()._value,
                                        a.OffsetSpec.latest() < a.OffsetSpec.for_timestamp(0),
                                        a.OffsetSpec.max_timestamp() < a.OffsetSpec.earliest()])
    acall("offsetspec.bad", a.OffsetSpec, -7)
    acall("offsetspec.abstract", lambda: type(a.OffsetSpec.__new__(a.OffsetSpec, 3)).__name__)
    acall("listoffsetsresultinfo", lambda: [A(a.ListOffsetsResultInfo(5, 100, 2)), A(a.ListOffsetsResultInfo(5, -1, -1))])
    acall("listoffsetsresultinfo.none", a.ListOffsetsResultInfo, 1, 2, None)
    acall("deletedrecords", lambda: A(a.DeletedRecords(4)))

    N = ck.Node
    acall("node", lambda: [str(N(1, "h", 9092)), str(N(2, "h", 1, "r1")), A(N(3, None, -1)), A(N(4, "x", 5, ""))])
    U = ck.Uuid
    acall("uuid", lambda: [str(U(1, 2)), repr(U(0, 0)), str(U(-1, -1)), U(5, 6).get_most_significant_bits(),
                           U(5, 6).get_least_significant_bits(), hash(U(1, 2)) == hash(U(1, 2)), U(1, 2) == U(1, 2),
                           str(U(0x1234567890abcdef, 0x0fedcba987654321)), U(most_significant_bits=3,
                                                                              least_significant_bits=4).__str__()])
    for args in [("a", 1), (1,), (2 ** 63, 1), (-(2 ** 63), 0), (1.0, 2)]:
        acall("uuid%r" % (args,), lambda: str(U(*args)))
    acall("cgtp", lambda: [A(ck.ConsumerGroupTopicPartitions("g")),
                           A(ck.ConsumerGroupTopicPartitions("g", [ck.TopicPartition("t", 1)]))])
    acall("topiccollection", lambda: A(ck.TopicCollection(["a", "b"])))
    acall("topicpartitioninfo", lambda: A(ck.TopicPartitionInfo(0, N(1, "h", 2), [N(1, "h", 2)], [])))
    acall("cglisting", lambda: [A(a.ConsumerGroupListing("g", True)), A(a.ConsumerGroupListing("g", False, 3, 2)),
                                A(a.ConsumerGroupListing("g", False, "stable", "classic"))])
    acall("cglisting.bad", a.ConsumerGroupListing, "g", False, "nope")
    acall("lcgresult", lambda: [A(a.ListConsumerGroupsResult()), A(a.ListConsumerGroupsResult([1], [2]))])
    acall("member", lambda: A(a.MemberDescription("m", "c", "h", a.MemberAssignment(None), "i",
                                                  a.MemberAssignment([ck.TopicPartition("t", 0)]))))
    acall("cgdesc", lambda: A(a.ConsumerGroupDescription("g", False, [], "range", 3, N(1, "h", 2), [3, "write"], 1)))
    acall("cgdesc.empty_ops", lambda: A(a.ConsumerGroupDescription("g", True, [], "", None, None, [], None)))
    acall("topicdesc", lambda: A(a.TopicDescription("t", U(1, 2), False, [], [a.AclOperation.READ])))
    acall("cluster", lambda: A(a.DescribeClusterResult(N(1, "h", 2), [N(1, "h", 2)], "cid", [8])))
    acall("cluster.default", lambda: A(a.DescribeClusterResult(None, [])))
    acall("scram", lambda: [A(a.ScramCredentialInfo(a.ScramMechanism.SCRAM_SHA_256, 4096)),
                            A(a.UserScramCredentialsDescription("u", [])),
                            A(a.UserScramCredentialUpsertion("u", a.ScramCredentialInfo(1, 2), b"p")),
                            A(a.UserScramCredentialDeletion("u", a.ScramMechanism.SCRAM_SHA_512)),
                            issubclass(a.UserScramCredentialDeletion, a.UserScramCredentialAlteration)])
    md = [a.GroupMetadata(), a.GroupMember(), a.ClusterMetadata()]
    acall("metadata", lambda: [A(x) for x in md] + [repr(md[0]), str(md[0])])


def _client():
    a = adm()
    return a.AdminClient({"bootstrap.servers": DEAD, "socket.timeout.ms": 1000})


@scenario("offline", brokers=("none",))
def admin_bad_args():
    a = adm()
    ad = _client()
    TP = ck.TopicPartition
    NT, NP, CR, CE = a.NewTopic, a.NewPartitions, a.ConfigResource, a.ConfigEntry
    acb = a.AclBinding(2, "t", 3, "User:u", "*", 3, 3)
    acf = a.AclBindingFilter(2, "t", 3, "User:u", "*", 3, 3)
    cases = {
        "create_topics.not_list": lambda: ad.create_topics(NT("t")),
        "create_topics.str": lambda: ad.create_topics("t"),
        "create_topics.empty": lambda: ad.create_topics([]),
        "create_topics.tuple": lambda: ad.create_topics((NT("t", 1),)),
        "create_topics.bad_kw": lambda: ad.create_topics([NT("t", 1)], bogus=1),
        "create_topics.validate_only_int": lambda: ad.create_topics([NT("t", 1)], validate_only=1),
        "create_topics.timeout_str": lambda: ad.create_topics([NT("t", 1)], request_timeout="1"),
        "create_topics.timeout_neg": lambda: ad.create_topics([NT("t", 1)], request_timeout=-5),
        "create_topics.timeout_huge": lambda: ad.create_topics([NT("t", 1)], request_timeout=1e7),
        "create_topics.op_timeout_neg": lambda: ad.create_topics([NT("t", 1)], operation_timeout=-5),
        "create_topics.partitions_0": lambda: ad.create_topics([NT("t", 0)]),
        "create_topics.partitions_huge": lambda: ad.create_topics([NT("t", 100001)]),
        "create_topics.rf_bad": lambda: ad.create_topics([NT("t", 1, -2)]),
        "create_topics.rf_and_ra": lambda: ad.create_topics([NT("t", 2, 1, [[1], [2]])]),
        "create_topics.ra_size": lambda: ad.create_topics([NT("t", 3, -1, [[1], [2]])]),
        "create_topics.ra_inner": lambda: ad.create_topics([NT("t", -1, -1, [[1], []])]),
        "create_topics.ra_str": lambda: ad.create_topics([NT("t", -1, -1, [["1"]])]),
        "create_topics.ra_not_list": lambda: ad.create_topics([NT("t", 1, -1, "x")]),
        "create_topics.mixed": lambda: ad.create_topics([NT("t", 1), "u"]),
        "delete_topics.str": lambda: ad.delete_topics("t"),
        "delete_topics.empty": lambda: ad.delete_topics([]),
        "delete_topics.none": lambda: ad.delete_topics([None]),
        "delete_topics.bad_kw": lambda: ad.delete_topics(["t"], validate_only=True),
        "create_partitions.empty": lambda: ad.create_partitions([]),
        "create_partitions.zero": lambda: ad.create_partitions([NP("t", 0)]),
        "create_partitions.negative": lambda: ad.create_partitions([NP("t", -3)]),
        "create_partitions.ra_long": lambda: ad.create_partitions([NP("t", 1, [[1], [2]])]),
        "create_partitions.wrong": lambda: ad.create_partitions([NT("t", 1)]),
        "create_partitions.validate_only": lambda: ad.create_partitions([NP("t", 2)], validate_only="yes"),
        "describe_configs.empty": lambda: ad.describe_configs([]),
        "describe_configs.wrong": lambda: ad.describe_configs(["t"]),
        "describe_configs.not_list": lambda: ad.describe_configs(CR(2, "t")),
        "describe_configs.empty_name": lambda: ad.describe_configs([CR(2, "")]),
        "describe_configs.int_name": lambda: ad.describe_configs([CR(2, 5)]),
        "describe_configs.broker_str": lambda: ad.describe_configs([CR(4, "1")], broker="1"),
        "describe_configs.broker_neg": lambda: ad.describe_configs([CR(4, "1")], broker=-5),
        "alter_configs.empty": lambda: ad.alter_configs([]),
        "alter_configs.wrong": lambda: ad.alter_configs([NT("t")]),
        "incremental.empty": lambda: ad.incremental_alter_configs([]),
        "incremental.wrong": lambda: ad.incremental_alter_configs(["x"]),
        "incremental.no_configs": lambda: ad.incremental_alter_configs([CR(2, "t")]),
        "incremental.not_entry": lambda: ad.incremental_alter_configs([CR(2, "t", incremental_configs=["x"])]),
        "incremental.no_op": lambda: ad.incremental_alter_configs([CR(2, "t", incremental_configs=[CE("a", "b")])]),
        "incremental.none_value": lambda: ad.incremental_alter_configs([CR(2, "t", incremental_configs=[
            CE("a", None, incremental_operation=a.AlterConfigOpType.SET)])]),
        "incremental.int_value": lambda: ad.incremental_alter_configs([CR(2, "t", incremental_configs=[
            CE("a", 5, incremental_operation=a.AlterConfigOpType.SET)])]),
        "create_acls.empty": lambda: ad.create_acls([]),
        "create_acls.dup": lambda: ad.create_acls([acb, a.AclBinding(2, "t", 3, "User:u", "*", 3, 3)]),
        "create_acls.filter": lambda: ad.create_acls([acf]),
        "create_acls.unknown_restype": lambda: ad.create_acls([a.AclBinding(0, "t", 3, "User:u", "*", 3, 3)]),
        "create_acls.not_list": lambda: ad.create_acls(acb),
        "describe_acls.binding": lambda: ad.describe_acls(acb),
        "describe_acls.list": lambda: ad.describe_acls([acf]),
        "delete_acls.empty": lambda: ad.delete_acls([]),
        "delete_acls.binding": lambda: ad.delete_acls([acb]),
        "delete_acls.dup": lambda: ad.delete_acls([acf, acf]),
        "list_consumer_groups.states_list": lambda: ad.list_consumer_groups(states=[ck.ConsumerGroupState.STABLE]),
        "list_consumer_groups.states_int": lambda: ad.list_consumer_groups(states={3}),
        "list_consumer_groups.types_list": lambda: ad.list_consumer_groups(types=[1]),
        "list_consumer_groups.types_bad": lambda: ad.list_consumer_groups(types={ck.ConsumerGroupState.STABLE}),
        "list_consumer_groups.bad_kw": lambda: ad.list_consumer_groups(group="g"),
        "describe_consumer_groups.str": lambda: ad.describe_consumer_groups("g"),
        "describe_consumer_groups.empty": lambda: ad.describe_consumer_groups([]),
        "describe_consumer_groups.none": lambda: ad.describe_consumer_groups([None]),
        "describe_consumer_groups.ops_int": lambda: ad.describe_consumer_groups(["g"], include_authorized_operations=1),
        "delete_consumer_groups.str": lambda: ad.delete_consumer_groups("g"),
        "delete_consumer_groups.empty": lambda: ad.delete_consumer_groups([]),
        "delete_consumer_groups.int": lambda: ad.delete_consumer_groups([1]),
        "lcgo.none": lambda: ad.list_consumer_group_offsets(None),
        "lcgo.not_list": lambda: ad.list_consumer_group_offsets(ck.ConsumerGroupTopicPartitions("g")),
        "lcgo.two": lambda: ad.list_consumer_group_offsets([ck.ConsumerGroupTopicPartitions("g")] * 2),
        "lcgo.wrong": lambda: ad.list_consumer_group_offsets(["g"]),
        "lcgo.group_none": lambda: ad.list_consumer_group_offsets([ck.ConsumerGroupTopicPartitions(None)]),
        "lcgo.group_int": lambda: ad.list_consumer_group_offsets([ck.ConsumerGroupTopicPartitions(5)]),
        "lcgo.group_empty": lambda: ad.list_consumer_group_offsets([ck.ConsumerGroupTopicPartitions("")]),
        "lcgo.tps_tuple": lambda: ad.list_consumer_group_offsets([ck.ConsumerGroupTopicPartitions("g", (1,))]),
        "lcgo.tps_empty": lambda: ad.list_consumer_group_offsets([ck.ConsumerGroupTopicPartitions("g", [])]),
        "lcgo.tp_none": lambda: ad.list_consumer_group_offsets([ck.ConsumerGroupTopicPartitions("g", [None])]),
        "lcgo.tp_str": lambda: ad.list_consumer_group_offsets([ck.ConsumerGroupTopicPartitions("g", ["t"])]),
        "lcgo.tp_empty_topic": lambda: ad.list_consumer_group_offsets([ck.ConsumerGroupTopicPartitions("g", [TP("")])]),
        "lcgo.tp_neg": lambda: ad.list_consumer_group_offsets([ck.ConsumerGroupTopicPartitions("g", [TP("t", -1)])]),
        "lcgo.tp_offset": lambda: ad.list_consumer_group_offsets([ck.ConsumerGroupTopicPartitions("g", [TP("t", 0, 5)])]),
        "lcgo.require_stable_int": lambda: ad.list_consumer_group_offsets([ck.ConsumerGroupTopicPartitions("g")],
                                                                          require_stable=1),
        "acgo.none": lambda: ad.alter_consumer_group_offsets(None),
        "acgo.two": lambda: ad.alter_consumer_group_offsets([ck.ConsumerGroupTopicPartitions("g")] * 2),
        "acgo.no_tps": lambda: ad.alter_consumer_group_offsets([ck.ConsumerGroupTopicPartitions("g")]),
        "acgo.tps_str": lambda: ad.alter_consumer_group_offsets([ck.ConsumerGroupTopicPartitions("g", "t")]),
        "acgo.tp_neg_partition": lambda: ad.alter_consumer_group_offsets([ck.ConsumerGroupTopicPartitions(
            "g", [TP("t", -1, 1)])]),
        "acgo.tp_neg_offset": lambda: ad.alter_consumer_group_offsets([ck.ConsumerGroupTopicPartitions(
            "g", [TP("t", 0)])]),
        "dusc.str": lambda: ad.describe_user_scram_credentials("u"),
        "dusc.none_user": lambda: ad.describe_user_scram_credentials([None]),
        "dusc.int_user": lambda: ad.describe_user_scram_credentials([1]),
        "dusc.empty_user": lambda: ad.describe_user_scram_credentials([""]),
        "ausc.not_list": lambda: ad.alter_user_scram_credentials("x"),
        "ausc.empty": lambda: ad.alter_user_scram_credentials([]),
        "ausc.wrong": lambda: ad.alter_user_scram_credentials(["x"]),
        "ausc.base": lambda: ad.alter_user_scram_credentials([a.UserScramCredentialAlteration("u")]),
        "ausc.user_none": lambda: ad.alter_user_scram_credentials([a.UserScramCredentialDeletion(None, 1)]),
        "ausc.user_empty": lambda: ad.alter_user_scram_credentials([a.UserScramCredentialDeletion("", 1)]),
        "ausc.mech_int": lambda: ad.alter_user_scram_credentials([a.UserScramCredentialDeletion("u", 1)]),
        "ausc.pw_none": lambda: ad.alter_user_scram_credentials([a.UserScramCredentialUpsertion(
            "u", a.ScramCredentialInfo(a.ScramMechanism.SCRAM_SHA_256, 4096), None)]),
        "ausc.pw_str": lambda: ad.alter_user_scram_credentials([a.UserScramCredentialUpsertion(
            "u", a.ScramCredentialInfo(a.ScramMechanism.SCRAM_SHA_256, 4096), "pw")]),
        "ausc.pw_empty": lambda: ad.alter_user_scram_credentials([a.UserScramCredentialUpsertion(
            "u", a.ScramCredentialInfo(a.ScramMechanism.SCRAM_SHA_256, 4096), b"")]),
        "ausc.salt_empty": lambda: ad.alter_user_scram_credentials([a.UserScramCredentialUpsertion(
            "u", a.ScramCredentialInfo(a.ScramMechanism.SCRAM_SHA_256, 4096), b"p", b"")]),
        "ausc.salt_str": lambda: ad.alter_user_scram_credentials([a.UserScramCredentialUpsertion(
            "u", a.ScramCredentialInfo(a.ScramMechanism.SCRAM_SHA_256, 4096), b"p", "s")]),
        "ausc.info": lambda: ad.alter_user_scram_credentials([a.UserScramCredentialUpsertion("u", 1, b"p")]),
        "ausc.iterations": lambda: ad.alter_user_scram_credentials([a.UserScramCredentialUpsertion(
            "u", a.ScramCredentialInfo(a.ScramMechanism.SCRAM_SHA_256, 0), b"p")]),
        "ausc.info_mech": lambda: ad.alter_user_scram_credentials([a.UserScramCredentialUpsertion(
            "u", a.ScramCredentialInfo(1, 10), b"p")]),
        "describe_topics.list": lambda: ad.describe_topics(["t"]),
        "describe_topics.names_str": lambda: ad.describe_topics(ck.TopicCollection("t")),
        "describe_topics.none": lambda: ad.describe_topics(ck.TopicCollection([None])),
        "describe_topics.int": lambda: ad.describe_topics(ck.TopicCollection([1])),
        "describe_topics.empty_name": lambda: ad.describe_topics(ck.TopicCollection(["a", ""])),
        "describe_topics.ops_str": lambda: ad.describe_topics(ck.TopicCollection(["a"]),
                                                              include_authorized_operations="y"),
        "describe_cluster.bad_kw": lambda: ad.describe_cluster(timeout=1),
        "describe_cluster.ops_int": lambda: ad.describe_cluster(include_authorized_operations=0),
        "list_offsets.list": lambda: ad.list_offsets([TP("t", 0)]),
        "list_offsets.key_none": lambda: ad.list_offsets({None: a.OffsetSpec.latest()}),
        "list_offsets.key_str": lambda: ad.list_offsets({"t": a.OffsetSpec.latest()}),
        "list_offsets.empty_topic": lambda: ad.list_offsets({TP(""): a.OffsetSpec.latest()}),
        "list_offsets.neg_partition": lambda: ad.list_offsets({TP("t", -1): a.OffsetSpec.latest()}),
        "list_offsets.spec_none": lambda: ad.list_offsets({TP("t", 0): None}),
        "list_offsets.spec_int": lambda: ad.list_offsets({TP("t", 0): -1}),
        "list_offsets.isolation_int": lambda: ad.list_offsets({TP("t", 0): a.OffsetSpec.latest()}, isolation_level=1),
        "delete_records.not_list": lambda: ad.delete_records(TP("t", 0, 1)),
        "delete_records.str": lambda: ad.delete_records(["t"]),
        "delete_records.neg": lambda: ad.delete_records([TP("t", -1, 1)]),
        "elect_leaders.type_int": lambda: ad.elect_leaders(0),
        "elect_leaders.partitions_tuple": lambda: ad.elect_leaders(ck.ElectionType.PREFERRED, (TP("t", 0),)),
        "elect_leaders.partition_str": lambda: ad.elect_leaders(ck.ElectionType.PREFERRED, ["t"]),
        "elect_leaders.partition_neg": lambda: ad.elect_leaders(ck.ElectionType.PREFERRED, [TP("t", -1)]),
        "poll.str": lambda: ad.poll("x"),
        "list_topics.bad_kw": lambda: ad.list_topics(bogus=1),
        "set_sasl.int": lambda: ad.set_sasl_credentials(1, 2),
        "constructor.not_dict": lambda: a.AdminClient("bootstrap.servers=x"),
        "constructor.bad_key": lambda: a.AdminClient({"no.such.key": 1}),
    }
    for k, fn in cases.items():
        acall(k, lambda: futures_or(fn()))
    acall("alter_configs.warns", _warns, lambda: ad.alter_configs([CR(2, "t", set_config={"a": "b"})],
                                                                   request_timeout=0.5))


def futures_or(r):
    """An operation's return value, its futures not waited for (they would time out)."""
    if isinstance(r, dict):
        return futures_keys(r)
    return type(r).__name__


def _warns(fn):
    import warnings
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        r = fn()
    return [[x.category.__name__, str(x.message)] for x in w] + [futures_or(r)]


@scenario("offline", brokers=("none",))
def admin_timeouts():
    """Every operation against a closed port with request_timeout=1: the futures fail
    with _TIMED_OUT (all at once for a request)."""
    a = adm()
    ad = _client()
    TP = ck.TopicPartition
    to = {"request_timeout": 1}
    ops = {
        "create_topics": lambda: ad.create_topics([a.NewTopic("t", 1)], operation_timeout=1, **to),
        "delete_topics": lambda: ad.delete_topics(["t", "u"], **to),
        "create_partitions": lambda: ad.create_partitions([a.NewPartitions("t", 2)], **to),
        "describe_configs": lambda: ad.describe_configs([a.ConfigResource(2, "t")], **to),
        "incremental_alter_configs": lambda: ad.incremental_alter_configs([a.ConfigResource(2, "t", incremental_configs=[
            a.ConfigEntry("a", "b", incremental_operation=a.AlterConfigOpType.SET)])], **to),
        "create_acls": lambda: ad.create_acls([a.AclBinding(2, "t", 3, "User:u", "*", 3, 3)], **to),
        "describe_acls": lambda: ad.describe_acls(a.AclBindingFilter(1, None, 1, None, None, 1, 1), **to),
        "delete_acls": lambda: ad.delete_acls([a.AclBindingFilter(1, None, 1, None, None, 1, 1)], **to),
        "list_consumer_groups": lambda: ad.list_consumer_groups(**to),
        "describe_consumer_groups": lambda: ad.describe_consumer_groups(["g"], **to),
        "delete_consumer_groups": lambda: ad.delete_consumer_groups(["g"], **to),
        "list_consumer_group_offsets": lambda: ad.list_consumer_group_offsets([ck.ConsumerGroupTopicPartitions("g")], **to),
        "alter_consumer_group_offsets": lambda: ad.alter_consumer_group_offsets(
            [ck.ConsumerGroupTopicPartitions("g", [TP("t", 0, 1)])], **to),
        "describe_user_scram_credentials": lambda: ad.describe_user_scram_credentials(["u"], **to),
        "describe_user_scram_credentials.all": lambda: ad.describe_user_scram_credentials(**to),
        "alter_user_scram_credentials": lambda: ad.alter_user_scram_credentials(
            [a.UserScramCredentialDeletion("u", a.ScramMechanism.SCRAM_SHA_256)], **to),
        "describe_topics": lambda: ad.describe_topics(ck.TopicCollection(["t"]), **to),
        "describe_topics.empty": lambda: ad.describe_topics(ck.TopicCollection([]), **to),
        "describe_cluster": lambda: ad.describe_cluster(**to),
        "list_offsets": lambda: ad.list_offsets({TP("t", 0): a.OffsetSpec.latest()}, **to),
        "list_offsets.empty": lambda: ad.list_offsets({}, **to),
        "delete_records": lambda: ad.delete_records([TP("t", 0, 1)], **to),
        "elect_leaders": lambda: ad.elect_leaders(ck.ElectionType.PREFERRED, [TP("t", 0)], **to),
    }
    started = {}
    for k, fn in ops.items():
        try:
            started[k] = fn()
        except Exception as e:  # noqa: BLE001
            out(k, {"raised": xexc(e)})
    t0 = time.time()
    for k, r in started.items():
        aout(k, r)
    out("within_limit", time.time() - t0 < 20)
    acall("poll", lambda: type(ad.poll(0.1)).__name__)
    acall("len", lambda: type(len(ad)).__name__)


__all__ = ["fut"]


@scenario("offline", brokers=("none",))
def admin_closed():
    """The client as a context manager, then used after it closed."""
    a = adm()
    lg = __import__("logging").getLogger("ck_admin")
    acall("kwargs", lambda: type(a.AdminClient({"bootstrap.servers": DEAD}, logger=lg)).__name__)
    acall("kwargs.conf", lambda: type(a.AdminClient({"bootstrap.servers": DEAD}, **{"client.id": "x"})).__name__)
    ad = _client()
    acall("cluster_id.dead", ad.cluster_id, timeout=1)
    acall("isinstance", lambda: isinstance(ad, a._AdminClientImpl))
    with ad as x:
        out("with.same", x is ad)
    acall("closed.create_topics", ad.create_topics, [a.NewTopic("t", 1)])
    acall("closed.describe_cluster", ad.describe_cluster)
    acall("closed.poll", ad.poll, 0)
    acall("closed.len", len, ad)
    acall("closed.list_topics", ad.list_topics, timeout=1)
    acall("closed.exit_again", ad.__exit__, None, None, None)


@scenario("offline", brokers=("none",))
def admin_duplicates():
    """Requests the library refuses as a whole (duplicates, two brokers) or starts anyway,
    against a closed port with request_timeout=1."""
    a = adm()
    ad = _client()
    TP, CG = ck.TopicPartition, ck.ConsumerGroupTopicPartitions
    to = {"request_timeout": 1}
    ops = {
        "describe_consumer_groups": lambda: ad.describe_consumer_groups(["g", "g"], **to),
        "delete_consumer_groups": lambda: ad.delete_consumer_groups(["g", "g"], **to),
        "delete_topics": lambda: ad.delete_topics(["t", "t"], **to),
        "create_topics": lambda: ad.create_topics([a.NewTopic("t", 1), a.NewTopic("t", 2)], **to),
        "list_offsets": lambda: ad.list_offsets({TP("t", 0): a.OffsetSpec.latest(), TP("t", 0, 5): a.OffsetSpec.earliest()},
                                                **to),
        "delete_records": lambda: ad.delete_records([TP("t", 0, 1), TP("t", 0, 2)], **to),
        "elect_leaders": lambda: ad.elect_leaders(ck.ElectionType.PREFERRED, [TP("t", 0), TP("t", 0)]),
        "elect_leaders.empty": lambda: ad.elect_leaders(ck.ElectionType.PREFERRED, []),
        "describe_user_scram_credentials": lambda: ad.describe_user_scram_credentials(["u", "u"], **to),
        "alter_user_scram_credentials": lambda: ad.alter_user_scram_credentials(
            [a.UserScramCredentialDeletion("u", a.ScramMechanism.SCRAM_SHA_256)] * 2, **to),
        "list_consumer_group_offsets": lambda: ad.list_consumer_group_offsets([CG("g", [TP("t", 0), TP("t", 0)])], **to),
        "alter_consumer_group_offsets": lambda: ad.alter_consumer_group_offsets([CG("g", [TP("t", 0, 1), TP("t", 0, 2)])],
                                                                                **to),
        "describe_configs": lambda: ad.describe_configs([a.ConfigResource(2, "t"), a.ConfigResource(2, "t")], **to),
        "describe_configs.two_brokers": lambda: ad.describe_configs([a.ConfigResource(4, "1"), a.ConfigResource(4, "2")],
                                                                    **to),
        "describe_topics": lambda: ad.describe_topics(ck.TopicCollection(["t", "t"]), **to),
        "list_consumer_groups.states": lambda: ad.list_consumer_groups(states={ck.ConsumerGroupState.UNKNOWN}, **to),
        "list_consumer_groups.types": lambda: ad.list_consumer_groups(types={ck.ConsumerGroupType.UNKNOWN}, **to),
        "create_acls.unknown_op": lambda: ad.create_acls([a.AclBinding(2, "t", 3, "u", "h", 0, 3)]),
    }
    started = {}
    for k, fn in ops.items():
        try:
            started[k] = fn()
        except Exception as e:  # noqa: BLE001
            out(k, {"raised": xexc(e)})
    for k, r in started.items():
        aout(k, r)
