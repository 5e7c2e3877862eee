"""Admin scenarios of ck_scenarios.py on brokers (the mock cluster: 3 brokers, topics
orders:4 and one:1; Tansu: 1 broker, same topics): every AdminClient operation, its
result objects' fields and its error paths (unknown topics/groups, refused requests,
request timeouts). What the mock's random leader placement or the broker's own ids make
differ between two runs is printed as a shape (counts, types), not as values."""

import re
import time
import warnings

from ck_admin_common import A, acall, adm, fut
from ck_common import TS0, cconf, ck, conf, drain, norm, out, scenario, wait_assigned

WAIT = 30


def _client(**kw):
    return adm().AdminClient(conf(**kw))


def _node(n):
    return None if n is None else [type(n).__name__, n.id, n.id_string == str(n.id), norm("%s:%s" % (n.host, n.port)),
                                   n.rack, norm(str(n))]


def _wait_topic(ad, topic, partitions, timeout=15):
    end = time.time() + timeout
    while time.time() < end:
        t = ad.list_topics(topic, timeout=5).topics.get(topic)
        if t is not None and t.error is None and len(t.partitions) >= partitions:
            return True
        time.sleep(0.2)
    return False


def _topic_desc(d):
    """A TopicDescription without what differs from run to run (ids, mock leaders)."""
    return {"name": d.name, "topic_id": [type(d.topic_id).__name__, str(d.topic_id) != "AAAAAAAAAAAAAAAAAAAAAA"],
            "is_internal": d.is_internal, "authorized_operations": A(d.authorized_operations),
            "partitions": [[p.id, type(p.leader).__name__, len(p.replicas), len(p.isr),
                            [type(n).__name__ for n in p.replicas]] for p in d.partitions]}


def _outcomes(futmap, shape=A):
    res = {}
    for k, f in futmap.items():
        try:
            res[k if isinstance(k, str) else str(k)] = {"result": shape(f.result(WAIT))}
        except Exception:  # noqa: BLE001 - recorded
            res[k if isinstance(k, str) else str(k)] = fut(f)
    return res


@scenario("fresh")
def admin_topics():
    a = adm()
    ad = _client()
    cl = ad.describe_cluster(request_timeout=10).result(WAIT)
    nodes = sorted(cl.nodes, key=lambda n: n.id)
    out("cluster", {"cluster_id": type(cl.cluster_id).__name__, "controller": type(cl.controller).__name__,
                    "nodes": [_node(n) for n in nodes], "authorized_operations": A(cl.authorized_operations)})
    acall("cluster.ops", lambda: A(ad.describe_cluster(include_authorized_operations=True).result(WAIT)
                                   .authorized_operations))
    NT = a.NewTopic
    r = ad.create_topics([NT("a1", 3, 1), NT("orders", 1), NT("cfg", 1, config={"retention.ms": "60000"})],
                         operation_timeout=10)
    out("create_topics", _outcomes(r))
    out("create_topics.metadata", [_wait_topic(ad, "a1", 3), _wait_topic(ad, "cfg", 1)])
    out("create_topics.validate_only", _outcomes(ad.create_topics([NT("v1", 2)], validate_only=True)))
    out("create_topics.validate_only.exists", sorted(ad.list_topics(timeout=10).topics).count("v1"))
    out("create_topics.ra", _outcomes(ad.create_topics([NT("ra", 2, replica_assignment=[[nodes[0].id],
                                                                                         [nodes[0].id]])])))
    out("create_topics.bad_ra_broker", _outcomes(ad.create_topics([NT("ra2", 1, replica_assignment=[[4242]])])))
    out("create_topics.too_many_partitions", _outcomes(ad.create_topics([NT("big", 100000, 1)])))
    out("create_topics.bad_config", _outcomes(ad.create_topics([NT("bc", 1, 1, config={"no.such.config": "x"})])))
    out("create_topics.bad_name", _outcomes(ad.create_topics([NT("bad name!", 1, 1)])))
    td = ad.describe_topics(ck.TopicCollection(["orders", "one", "a1", "nope"]), request_timeout=10)
    out("describe_topics", _outcomes(td, _topic_desc))
    td = ad.describe_topics(ck.TopicCollection(["one"]), include_authorized_operations=True)
    out("describe_topics.ops", _outcomes(td, lambda d: A(d.authorized_operations)))
    out("describe_topics.empty", _outcomes(ad.describe_topics(ck.TopicCollection([]))))
    out("create_partitions", _outcomes(ad.create_partitions([a.NewPartitions("a1", 5), a.NewPartitions("orders", 2),
                                                             a.NewPartitions("nope", 3)], operation_timeout=10)))
    out("create_partitions.validate_only", _outcomes(ad.create_partitions([a.NewPartitions("one", 3)],
                                                                          validate_only=True)))
    out("create_partitions.metadata", [_wait_topic(ad, "a1", 5, timeout=5),
                                       len(ad.list_topics("one", timeout=5).topics["one"].partitions)])
    out("delete_topics", _outcomes(ad.delete_topics(["a1", "nope"], operation_timeout=10)))
    out("delete_topics.again", _outcomes(ad.delete_topics(["cfg", "cfg"])))
    end = time.time() + 10
    while time.time() < end and "a1" in ad.list_topics(timeout=5).topics:
        time.sleep(0.2)
    out("delete_topics.metadata", "a1" in ad.list_topics(timeout=5).topics)
    acall("poll", lambda: ad.poll(0.1))
    acall("poll.kw", lambda: ad.poll(timeout=0))
    acall("len", lambda: len(ad))
    acall("cluster_id", lambda: type(ad.cluster_id()).__name__)
    md = ad.list_topics(timeout=10)
    out("list_topics", [type(md).__name__, sorted(t for t in md.topics if not t.startswith("_")),
                        sorted(md.brokers) == [n.id for n in nodes]])
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        acall("list_groups", lambda: [type(g).__name__ for g in ad.list_groups(timeout=10)])
        acall("list_groups.one", lambda: [type(g).__name__ for g in ad.list_groups("nope", timeout=10)])
    out("list_groups.warnings", [[str(x.message), x.category.__name__] for x in w])
    acall("set_sasl_credentials", ad.set_sasl_credentials, "u", "p")
    with _client() as ad2:
        out("with", _outcomes(ad2.delete_topics(["one"], request_timeout=10)))


def _entry(e):
    return None if e is None else [e.name, e.value, A(e.source), e.is_read_only, e.is_default, e.is_sensitive,
                                   e.is_synonym, sorted(e.synonyms)[:3], repr(e), str(e)]


@scenario("fresh")
def admin_configs():
    a = adm()
    ad = _client()
    CR = a.ConfigResource
    broker = str(sorted(n.id for n in ad.describe_cluster().result(WAIT).nodes)[0])
    keys = ("cleanup.policy", "retention.ms", "min.insync.replicas", "message.timestamp.type")

    def configs(c):
        return {"n": len(c) > 5, "types": sorted(set(type(e).__name__ for e in c.values())),
                "keys": {k: _entry(c.get(k)) for k in keys}}
    r = ad.describe_configs([CR("topic", "orders"), CR("topic", "nope")], request_timeout=10)
    out("describe_configs.topic", _outcomes(r, configs))
    r = ad.describe_configs([CR("broker", broker)], request_timeout=10)
    out("describe_configs.broker", _outcomes(r, lambda c: [len(c) > 5, sorted(set(type(e.source).__name__
                                                                                 for e in c.values()))]))
    r = ad.incremental_alter_configs([CR("topic", "orders", incremental_configs=[
        a.ConfigEntry("retention.ms", "12345", incremental_operation=a.AlterConfigOpType.SET),
        a.ConfigEntry("cleanup.policy", None, incremental_operation=a.AlterConfigOpType.DELETE)])],
        request_timeout=10)
    out("incremental_alter_configs", _outcomes(r))
    r = ad.incremental_alter_configs([CR("topic", "one", incremental_configs=[
        a.ConfigEntry("retention.ms", "1", incremental_operation=a.AlterConfigOpType.SET)])], validate_only=True)
    out("incremental_alter_configs.validate_only", _outcomes(r))
    r = ad.incremental_alter_configs([CR("topic", "nope", incremental_configs=[
        a.ConfigEntry("retention.ms", "1", incremental_operation=a.AlterConfigOpType.SET)])], request_timeout=10)
    out("incremental_alter_configs.unknown", _outcomes(r))
    r = ad.incremental_alter_configs([CR("topic", "one", incremental_configs=[
        a.ConfigEntry("retention.ms", "1", incremental_operation=a.AlterConfigOpType.SET),
        a.ConfigEntry("retention.ms", "2", incremental_operation=a.AlterConfigOpType.SET)])], request_timeout=10)
    out("incremental_alter_configs.duplicate", _outcomes(r))
    r = ad.describe_configs([CR("topic", "orders")], request_timeout=10)
    out("describe_configs.after", _outcomes(r, lambda c: [_entry(c.get("retention.ms")),
                                                          _entry(c.get("cleanup.policy"))]))
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        r = ad.alter_configs([CR("topic", "one", set_config={"retention.ms": "7777"})], request_timeout=10)
    out("alter_configs", [_outcomes(r), [str(x.message) for x in w]])
    r = ad.describe_configs([CR("topic", "one")], request_timeout=10)
    out("describe_configs.after_alter", _outcomes(r, lambda c: _entry(c.get("retention.ms"))))
    r = ad.describe_configs([CR("group", "g"), CR("broker", "4242")], request_timeout=5)
    out("describe_configs.other", _outcomes(r, lambda c: len(c) > 0))


UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _desc(d):
    return {"group_id": d.group_id, "simple": d.is_simple_consumer_group,
            "assignor": UUID_RE.sub("<uuid>", d.partition_assignor),
            "state": A(getattr(d, "state", None)), "type": A(getattr(d, "type", None)),
            "coordinator": type(d.coordinator).__name__, "ops": A(d.authorized_operations),
            "members": sorted([m.client_id, norm(m.host) if m.host else m.host, bool(m.member_id),
                               m.group_instance_id, sorted(A(m.assignment.topic_partitions), key=str),
                               A(m.target_assignment)] for m in d.members)}


def _listing(r):
    return {"valid": sorted([x.group_id, x.is_simple_consumer_group, A(getattr(x, "state", None)),
                             A(getattr(x, "type", None))] for x in r.valid),
            "errors": A(r.errors), "cls": type(r).__name__}


@scenario("seeded")
def admin_groups():
    TP = ck.TopicPartition
    ad = _client()
    c = ck.Consumer(cconf("g-adm", **{"client.id": "adm-client"}))
    c.subscribe(["orders"])
    wait_assigned(c, 4)
    drain(c, 4, timeout=15)
    c.commit(offsets=[TP("orders", 0, 2), TP("orders", 1, 1, "meta")], asynchronous=False)
    out("list_consumer_groups.active", _listing(ad.list_consumer_groups(request_timeout=10).result(WAIT)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        acall("list_groups.active", lambda: [[g.id, A(g.error), g.state, g.protocol_type, g.protocol,
                                              type(g.broker).__name__, norm(str(g.broker)) if g.broker else None,
                                              [[m.client_id, bool(m.id), type(m.metadata).__name__,
                                                type(m.assignment).__name__] for m in g.members], repr(g), str(g)]
                                             for g in ad.list_groups("g-adm", timeout=10)])
    r = ad.describe_consumer_groups(["g-adm", "nope"], request_timeout=10)
    out("describe_consumer_groups.active", _outcomes(r, _desc))
    r = ad.describe_consumer_groups(["g-adm"], include_authorized_operations=True)
    out("describe_consumer_groups.ops", _outcomes(r, lambda d: A(d.authorized_operations)))
    out("delete_consumer_groups.active", _outcomes(ad.delete_consumer_groups(["g-adm"], request_timeout=10)))
    c.close()
    CG = ck.ConsumerGroupTopicPartitions
    r = ad.list_consumer_group_offsets([CG("g-adm")], request_timeout=10)
    out("list_consumer_group_offsets", _outcomes(r, lambda g: [type(g).__name__, g.group_id,
                                                               sorted(A(g.topic_partitions), key=str)]))
    r = ad.list_consumer_group_offsets([CG("g-adm", [TP("orders", 1), TP("orders", 3), TP("nope", 0)])],
                                       require_stable=True)
    out("list_consumer_group_offsets.partitions", _outcomes(r, lambda g: A(g.topic_partitions)))
    r = ad.list_consumer_group_offsets([CG("no-such-group")], request_timeout=10)
    out("list_consumer_group_offsets.unknown", _outcomes(r, lambda g: A(g.topic_partitions)))
    r = ad.alter_consumer_group_offsets([CG("g-adm", [TP("orders", 2, 3), TP("orders", 3, 1, "m2")])],
                                        request_timeout=10)
    out("alter_consumer_group_offsets", _outcomes(r, lambda g: [g.group_id, sorted(A(g.topic_partitions), key=str)]))
    r = ad.alter_consumer_group_offsets([CG("g-adm", [TP("nope", 0, 3)])], request_timeout=10)
    out("alter_consumer_group_offsets.unknown_topic", _outcomes(r, lambda g: A(g.topic_partitions)))
    r = ad.list_consumer_group_offsets([CG("g-adm")], request_timeout=10)
    out("list_consumer_group_offsets.after", _outcomes(r, lambda g: sorted(A(g.topic_partitions), key=str)))
    ES = ck.ConsumerGroupState
    out("list_consumer_groups.empty", _listing(ad.list_consumer_groups(states={ES.EMPTY}).result(WAIT)))
    out("list_consumer_groups.stable", _listing(ad.list_consumer_groups(states={ES.STABLE}).result(WAIT)))
    out("list_consumer_groups.types", _listing_f(ad.list_consumer_groups(types={ck.ConsumerGroupType.CLASSIC})))
    out("list_consumer_groups.states_none", _listing_f(ad.list_consumer_groups(states=None)))
    r = ad.describe_consumer_groups(["g-adm"], request_timeout=10)
    out("describe_consumer_groups.empty", _outcomes(r, _desc))
    out("delete_consumer_groups", _outcomes(ad.delete_consumer_groups(["g-adm", "no-such-group"],
                                                                      request_timeout=10)))
    out("list_consumer_groups.after", _listing(ad.list_consumer_groups().result(WAIT)))


def _listing_f(f):
    try:
        return {"result": _listing(f.result(WAIT))}
    except Exception:  # noqa: BLE001
        return fut(f)


def _info(i):
    # A timestamp far past the seeded records' (TS0 + a few s) is the broker's clock (Tansu
    # answers earliest/latest with its append time): it differs between two brokers' runs.
    ts = i.timestamp if i.timestamp < TS0 + 10 ** 9 else "broker clock"
    return [type(i).__name__, i.offset, ts, i.leader_epoch is not None]


def _settle(ad):
    """Waits (bounded) for fresh metadata after a request Tansu answers by dropping the
    connection (ListOffsets with a max_timestamp spec, DeleteRecords): librdkafka then
    re-bootstraps, and until its metadata names broker 111 again its leader lookup finds
    no leader (_NOENT "No leaders found") - a race, not what is compared here."""
    try:
        ad.list_topics(timeout=10)
    except Exception:  # noqa: BLE001 - the next operation reports it
        pass


@scenario("seeded")
def admin_offsets():
    a = adm()
    TP, OS = ck.TopicPartition, a.OffsetSpec
    ad = _client()
    req = {TP("orders", 0): OS.earliest(), TP("orders", 1): OS.latest(), TP("orders", 2): OS.max_timestamp(),
           TP("orders", 3): OS.for_timestamp(TS0 + 3001), TP("one", 0): OS.for_timestamp(TS0 + 10 ** 9)}
    r = ad.list_offsets(req, request_timeout=10)
    out("list_offsets.keys", sorted(A(k) for k in r))
    out("list_offsets", _outcomes(r, _info))
    _settle(ad)
    r = ad.list_offsets({TP("orders", 1): OS.latest()}, isolation_level=ck.IsolationLevel.READ_COMMITTED)
    out("list_offsets.read_committed", _outcomes(r, _info))
    r = ad.list_offsets({TP("orders", 9): OS.latest(), TP("nope", 0): OS.earliest()}, request_timeout=10)
    out("list_offsets.unknown", _outcomes(r, _info))
    out("list_offsets.empty", A(ad.list_offsets({})))
    r = ad.delete_records([TP("orders", 0, 1), TP("orders", 3, ck.OFFSET_END)], request_timeout=10,
                          operation_timeout=10)
    out("delete_records", _outcomes(r, lambda d: [type(d).__name__, d.low_watermark]))
    _settle(ad)
    r = ad.delete_records([TP("orders", 1, 99), TP("nope", 0, 1)], request_timeout=10)
    out("delete_records.bad", _outcomes(r, lambda d: d.low_watermark))
    _settle(ad)
    r = ad.list_offsets({TP("orders", 0): OS.earliest(), TP("orders", 3): OS.earliest()}, request_timeout=10)
    out("list_offsets.after_delete", _outcomes(r, _info))
    f = ad.elect_leaders(ck.ElectionType.PREFERRED, [TP("orders", 0), TP("nope", 1)])
    out("elect_leaders", fut(f))
    out("elect_leaders.all", fut(ad.elect_leaders(ck.ElectionType.UNCLEAN)))


# not on Tansu: its CreateAcls answer makes genuine librdkafka abort (exit -6)
@scenario("fresh", brokers=("mock",))
def admin_acls_scram():
    a = adm()
    ad = _client()
    AB, AF = a.AclBinding, a.AclBindingFilter
    R, P, O, T = a.ResourceType, a.ResourcePatternType, a.AclOperation, a.AclPermissionType
    b1 = AB(R.TOPIC, "orders", P.LITERAL, "User:alice", "*", O.READ, T.ALLOW)
    b2 = AB(R.GROUP, "g", P.PREFIXED, "User:bob", "h1", O.ALL, T.DENY)
    out("create_acls", _outcomes(ad.create_acls([b1, b2], request_timeout=10)))
    anyf = AF(R.ANY, None, P.ANY, None, None, O.ANY, T.ANY)
    out("describe_acls", fut(ad.describe_acls(anyf, request_timeout=10)))
    out("describe_acls.match", fut(ad.describe_acls(AF(R.TOPIC, "orders", P.MATCH, None, None, O.ANY, T.ANY))))
    out("delete_acls", _outcomes(ad.delete_acls([AF(R.TOPIC, None, P.ANY, None, None, O.ANY, T.ANY),
                                                  AF(R.BROKER, None, P.ANY, None, None, O.ANY, T.ANY)],
                                                 request_timeout=10)))
    out("describe_acls.after", fut(ad.describe_acls(anyf)))
    S = a.ScramMechanism
    r = ad.alter_user_scram_credentials([
        a.UserScramCredentialUpsertion("alice", a.ScramCredentialInfo(S.SCRAM_SHA_256, 4096), b"pw", b"salt"),
        a.UserScramCredentialUpsertion("bob", a.ScramCredentialInfo(S.SCRAM_SHA_512, 8192), b"pw"),
        a.UserScramCredentialDeletion("carol", S.SCRAM_SHA_256)], request_timeout=10)
    out("alter_user_scram_credentials", _outcomes(r))
    out("describe_user_scram_credentials.all", fut(ad.describe_user_scram_credentials(request_timeout=10)))
    out("describe_user_scram_credentials", _outcomes(ad.describe_user_scram_credentials(["alice", "nobody"])))
    out("describe_user_scram_credentials.empty", A(ad.describe_user_scram_credentials([])))
