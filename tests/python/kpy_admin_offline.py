#!/usr/bin/env python3
"""kafkars.kafka.admin checks that need no broker, with kafka-python 3.0.12 as the reference.

Usage: kpy_admin_offline.py   (PY with kafka-python and kafkars installed)
Prints "ok - <check>" / "not ok - <check>" and "N passed, M failed"; exit 1 on any failure.
"""
import sys
import traceback

sys.dont_write_bytecode = True
CHECKS = []


def check(fn):
    CHECKS.append(fn)
    return fn


@check
def group_protocol_decoding():
    from kafka.protocol.consumer.metadata import (
        ConsumerProtocolAssignment as KA, ConsumerProtocolSubscription as KS)
    from kafkars.kafka.admin._protocol import decode_assignment, decode_subscription
    for v in (0, 1, 2, 3):
        raw = KS(version=v, topics=["a", "b"], user_data=b"\xffu",
                 owned_partitions=[KS.TopicPartition(topic="a", partitions=[1, 2])],
                 generation_id=7, rack_id="r").encode()
        assert decode_subscription(raw) == KS.decode(raw).to_dict(), v
    raw = KA(version=1, assigned_partitions=[KA.TopicPartition(topic="t", partitions=[0, 1])],
             user_data=b"\x01").encode()
    assert decode_assignment(raw) == KA.decode(raw).to_dict()
    assert decode_subscription(b"\x00") == "\x00"  # undecodable: the bytes as text


@check
def api_keys():
    from kafka.protocol.api_key import ApiKey as K
    from kafkars.kafka.admin._apiversions import ApiKey as R
    assert [(m.name, m.value) for m in R] == [(m.name, m.value) for m in K]


@check
def broker_version_inference():
    from kafka.protocol.broker_version_data import BROKER_API_VERSIONS, BrokerVersionData
    from kafkars.kafka.admin._apiversions import infer_broker_version
    for version, apis in BROKER_API_VERSIONS.items():
        if version < (0, 10, 0) or version > (4, 0):
            continue  # kafkars' table starts at ApiVersions (0.10) and stops at 4.0
        got = infer_broker_version(apis)
        want = BrokerVersionData(api_versions=apis).broker_version
        assert got == want[:len(got)] or got == want, (version, got, want)


@check
def enums_and_values():
    import kafka.admin as K
    import kafkars.kafka.admin as R
    for name in ("ACLOperation", "ACLPermissionType", "ACLResourcePatternType", "ResourceType",
                 "ConfigResourceType", "AlterConfigOp", "ConfigType", "ConfigSourceType",
                 "ConfigFilterType", "GroupState", "GroupType", "OffsetSpec", "ScramMechanism",
                 "TransactionState", "UpdateFeatureType"):
        assert [(m.name, m.value) for m in getattr(R, name)] == \
            [(m.name, m.value) for m in getattr(K, name)], name
    for cls in ("GroupState", "GroupType", "TransactionState", "AlterConfigOp"):
        for v in ("stable", "CLASSIC", "Ongoing", "delete", "prepare-commit"):
            try:
                a = getattr(K, cls).build_from(v).name
            except ValueError:
                a = "ValueError"
            try:
                b = getattr(R, cls).build_from(v).name
            except ValueError:
                b = "ValueError"
            assert a == b, (cls, v, a, b)


@check
def scram_upsertion():
    import kafka.admin as K
    import kafkars.kafka.admin as R
    for mech in ("SCRAM-SHA-256", 2):
        a = K.UserScramCredentialUpsertion("u", mech, "pw", iterations=4096, salt=b"s" * 16)
        b = R.UserScramCredentialUpsertion("u", mech, "pw", iterations=4096, salt=b"s" * 16)
        assert (a.salted_password, repr(a)) == (b.salted_password, repr(b))


@check
def config_errors():
    import kafka
    import kafkars.kafka as R
    for kw in ({"bogus": 1}, {"ssl_ciphers": "x"}, {"metrics_enabled": False}):
        names = []
        for mod in (kafka, R):
            try:
                mod.KafkaAdminClient(bootstrap_servers="127.0.0.1:1", **kw)
                names.append("accepted")
            except Exception as e:
                names.append(type(e).__name__)
        assert names[0] == names[1], (kw, names)
    try:
        R.KafkaAdminClient(bootstrap_servers="127.0.0.1:1", proxy_url="socks5://x")
        raise AssertionError("proxy_url accepted")
    except R.errors.KafkaConfigurationError:
        pass


@check
def not_started_without_broker():
    import kafkars.kafka as R
    a = R.KafkaAdminClient(bootstrap_servers="127.0.0.1:1", api_version=(3, 9),
                           request_timeout_ms=2000)
    try:
        a.describe_cluster()
    except R.errors.KafkaError:
        pass
    a.close()
    try:
        a.list_topics()
        raise AssertionError("closed client answered")
    except R.errors.IllegalStateError:
        pass


def main():
    passed = failed = 0
    for fn in CHECKS:
        try:
            fn()
            passed += 1
            print("ok - %s" % fn.__name__)
        except Exception:
            failed += 1
            print("not ok - %s" % fn.__name__)
            for line in traceback.format_exc().strip().splitlines()[-4:]:
                print("#   " + line)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
