use super::finalize::sanitize_software_str;
use super::info::property_info;
use super::parse::{fmt_g, strtol};
use super::props::{Kind, PROPERTIES};
use super::types::Scope;
use super::*;

#[path = "oracle_data.rs"]
mod oracle_data;
use oracle_data::*;

fn res_code(r: &Result<(), ConfError>) -> i32 {
    match r {
        Ok(()) => 0,
        Err(e) => e.res as i32,
    }
}

#[test]
fn get_defaults_match_librdkafka() {
    let c = Conf::new();
    for (name, want) in GLOBAL_GET_DEFAULTS {
        let got = c.get(name).ok();
        assert_eq!(got.as_deref(), *want, "global get({name})");
    }
    let t = TopicConf::new();
    for (name, want) in TOPIC_GET_DEFAULTS {
        let got = t.get(name).ok();
        assert_eq!(got.as_deref(), *want, "topic get({name})");
    }
}

#[test]
fn dump_matches_librdkafka() {
    let c = Conf::new();
    let got: Vec<(String, String)> = c.dump().into_iter().filter(|(k, _)| k != "builtin.features").collect();
    let want: Vec<(String, String)> =
        GLOBAL_DUMP.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    assert_eq!(got, want);
    let t = TopicConf::new();
    let want: Vec<(String, String)> =
        TOPIC_DUMP.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    assert_eq!(t.dump(), want);
}

#[test]
fn set_results_match_librdkafka() {
    for (name, value, res, msg, after) in GLOBAL_SET_CASES {
        let mut c = Conf::new();
        let r = c.set(name, value);
        assert_eq!(res_code(&r), *res, "set({name}, {value:?}) -> {r:?}");
        if let Err(e) = &r {
            assert_eq!(e.msg, *msg, "set({name}, {value:?}) message");
        }
        // builtin.features lists what this build has, which differs from the oracle's build.
        if *name != "builtin.features" {
            assert_eq!(c.get(name).ok().as_deref(), *after, "get({name}) after {value:?}");
        }
    }
}

#[test]
fn dump_after_sets_matches_librdkafka() {
    let mut c = Conf::new();
    for (n, v) in SEQ_SETS {
        c.set(n, v).unwrap();
    }
    let d = c.dump();
    for (k, v) in SEQ_DUMP {
        let got = d.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(got, Some(*v), "{k}");
    }
    assert_eq!(c.get("acks").ok().as_deref(), SEQ_GET_ACKS);
}

#[test]
fn unknown_property() {
    let mut c = Conf::new();
    let e = c.set("no.such.thing", "1").unwrap_err();
    assert_eq!(e.res, ConfRes::Unknown);
    assert_eq!(e.msg, "No such configuration property: \"no.such.thing\"");
    let mut t = TopicConf::new();
    let e = t.set("topic.no.such", "1").unwrap_err();
    assert_eq!(e.msg, "No such configuration property: \"no.such\"");
    assert_eq!(c.get("no.such.thing").unwrap_err().res, ConfRes::Unknown);
}

#[test]
fn aliases_resolve_to_canonical() {
    let mut c = Conf::new();
    c.set("linger.ms", "20").unwrap();
    assert_eq!(c.get("queue.buffering.max.ms").unwrap(), "20");
    assert!(c.is_set("queue.buffering.max.ms"));
    assert!(c.is_set("linger.ms"));
    c.set("bootstrap.servers", "a:1").unwrap();
    assert_eq!(c.string("metadata.broker.list").as_deref(), Some("a:1"));
    c.set("compression.type", "gzip").unwrap();
    assert_eq!(c.get("compression.codec").unwrap(), "gzip");
    assert_eq!(c.int("compression.codec"), 1);
    c.set("acks", "all").unwrap();
    assert_eq!(c.default_topic_conf().int("request.required.acks"), -1);
    c.set("acks", "1").unwrap();
    assert_eq!(c.default_topic_conf().get("request.required.acks").unwrap(), "1");
    c.set("max.partition.fetch.bytes", "12345").unwrap();
    assert_eq!(c.int("fetch.message.max.bytes"), 12345);
}

#[test]
fn topic_property_on_global_goes_to_default_topic_conf() {
    let mut c = Conf::new();
    // No default topic conf yet: librdkafka's conf_get doesn't see topic props.
    assert_eq!(c.get("acks").unwrap_err().res, ConfRes::Unknown);
    assert!(!c.has_default_topic_conf());
    c.set("message.timeout.ms", "1234").unwrap();
    assert!(c.has_default_topic_conf());
    assert_eq!(c.get("message.timeout.ms").unwrap(), "1234");
    assert!(c.default_topic_conf().is_set("message.timeout.ms"));
    // Typed getters fall back to the topic conf.
    assert_eq!(c.int("message.timeout.ms"), 1234);
    // Both scopes: the global one wins.
    c.set("enable.auto.commit", "false").unwrap();
    assert!(!c.boolean("enable.auto.commit"));
    assert!(c.default_topic_conf().boolean("auto.commit.enable"));
    c.set("compression.codec", "lz4").unwrap();
    assert_eq!(c.default_topic_conf().get("compression.codec").unwrap(), "inherit");
    // topic. prefix only works through the topic fallback.
    c.set("topic.auto.offset.reset", "earliest").unwrap();
    assert_eq!(c.default_topic_conf().get("auto.offset.reset").unwrap(), "smallest");
    assert_eq!(c.default_topic_conf().int("auto.offset.reset"), -2);
}

#[test]
fn set_default_topic_conf_replaces() {
    let mut c = Conf::new();
    c.set("acks", "0").unwrap();
    let mut t = TopicConf::new();
    t.set("acks", "1").unwrap();
    c.set_default_topic_conf(t);
    assert_eq!(c.get("acks").unwrap(), "1");
    assert!(c.default_topic_conf_overwritten());
    c.default_topic_conf_mut().set("partitioner", "murmur2").unwrap();
    assert_eq!(c.default_topic_conf().string("partitioner").as_deref(), Some("murmur2"));
}

#[test]
fn ranges() {
    let mut c = Conf::new();
    let e = c.set("linger.ms", "999999999").unwrap_err();
    assert_eq!(e.res, ConfRes::Invalid);
    assert!(e.msg.starts_with(
        "Configuration property \"queue.buffering.max.ms\" value 1e+09 is outside allowed range 0..900000"
    ));
    c.set("linger.ms", "900000").unwrap();
    let e = c.set("batch.num.messages", "1000001").unwrap_err();
    assert_eq!(
        e.msg,
        "Configuration property \"batch.num.messages\" value 1000001 is outside allowed range 1..1000000\n"
    );
    c.set("batch.num.messages", "1000000").unwrap();
    assert_eq!(c.int("batch.num.messages"), 1_000_000);
}

#[test]
fn enums_and_flags() {
    let mut c = Conf::new();
    c.set("security.protocol", "SASL_SSL").unwrap();
    assert_eq!(c.string("security.protocol").as_deref(), Some("sasl_ssl"));
    assert_eq!(c.int("security.protocol"), 3);
    let e = c.set("security.protocol", "tls").unwrap_err();
    assert_eq!(e.msg, "Invalid value \"tls\" for configuration property \"security.protocol\"");
    c.set("debug", "broker,topic").unwrap();
    c.set("debug", "msg").unwrap(); // flags accumulate
    assert_eq!(c.get("debug").unwrap(), "broker,topic,msg");
    assert_eq!(c.int("debug"), 0x2 | 0x4 | 0x40);
    c.set("debug", "-topic").unwrap();
    assert_eq!(c.get("debug").unwrap(), "broker,msg");
    c.set("isolation.level", "read_uncommitted").unwrap();
    assert_eq!(c.int("isolation.level"), 0);
    // builtin.features: everything librdkafka 2.16 lists is there (GSSAPI through MIT's
    // library, OIDC through the HTTP client).
    c.set("builtin.features", "sasl_gssapi,http,oidc").unwrap();
    c.set("builtin.features", "gzip,snappy,lz4,zstd,ssl,sasl_scram").unwrap();
    c.set("sasl.oauthbearer.method", "oidc").unwrap();
    assert_eq!(c.int("sasl.oauthbearer.method"), 1);
}

#[test]
fn bools() {
    let mut c = Conf::new();
    for v in ["true", "TRUE", "t", "1"] {
        c.set("enable.idempotence", v).unwrap();
        assert!(c.boolean("enable.idempotence"));
        assert_eq!(c.get("enable.idempotence").unwrap(), "true");
    }
    for v in ["false", "F", "0"] {
        c.set("enable.idempotence", v).unwrap();
        assert!(!c.boolean("enable.idempotence"));
    }
    let e = c.set("enable.idempotence", "on").unwrap_err();
    assert_eq!(e.msg, "Expected bool value for \"enable.idempotence\": true or false");
}

#[test]
fn pointer_and_internal_properties() {
    let mut c = Conf::new();
    for n in ["dr_msg_cb", "opaque", "error_cb", "default_topic_conf", "rebalance_cb"] {
        let e = c.set(n, "0x1234").unwrap_err();
        assert_eq!(e.res, ConfRes::Invalid);
        assert_eq!(e.msg, format!("Property \"{n}\" must be set through dedicated .._set_..() function"));
    }
    let mut t = TopicConf::new();
    assert_eq!(t.set("partitioner_cb", "x").unwrap_err().res, ConfRes::Invalid);
    // The C layer stores them as addresses; get/dump print them like %p.
    c.set_ptr("dr_msg_cb", 0xdead0).unwrap();
    assert_eq!(c.ptr("dr_msg_cb"), 0xdead0);
    assert_eq!(c.get("dr_msg_cb").unwrap(), "0xdead0");
    assert!(c.dump().contains(&("dr_msg_cb".to_string(), "0xdead0".to_string())));
    t.set_ptr("opaque", 7).unwrap();
    assert_eq!(t.ptr("opaque"), 7);
    assert!(c.set_ptr("client.id", 1).is_err());
    c.set_ptr("dr_msg_cb", 0).unwrap();
    assert!(c.get("dr_msg_cb").is_err());
}

#[test]
fn unset_string_and_reset() {
    let mut c = Conf::new();
    assert!(c.get("group.id").is_err());
    assert_eq!(c.string("group.id"), None);
    c.set("group.id", "g1").unwrap();
    assert_eq!(c.string("group.id").as_deref(), Some("g1"));
    // An empty value resets to the default (librdkafka treats "" as NULL).
    c.set("group.id", "").unwrap();
    assert_eq!(c.string("group.id"), None);
    c.set("client.id", "x").unwrap();
    c.set("client.id", "").unwrap();
    assert_eq!(c.get("client.id").unwrap(), "rdkafka");
}

#[test]
fn typed_getters() {
    let mut c = Conf::new();
    assert_eq!(c.float("linger.ms"), 5.0);
    c.set("linger.ms", "0.25").unwrap();
    assert_eq!(c.float("queue.buffering.max.ms"), 0.25);
    assert_eq!(c.int("socket.timeout.ms"), 60000);
    assert!(c.boolean("socket.nagle.disable"));
    assert_eq!(c.string("partition.assignment.strategy").as_deref(), Some("range,roundrobin"));
    assert_eq!(c.string("compression.codec").as_deref(), Some("none"));
    assert_eq!(c.int("no.such"), 0);
    assert!(!c.boolean("no.such"));
    assert_eq!(c.string("no.such"), None);
    assert_eq!(c.float("no.such"), 0.0);
    assert!(!c.is_set("no.such"));
    assert!(!c.is_set("socket.timeout.ms"));
    c.set("socket.timeout.ms", "1000").unwrap();
    assert!(c.is_set("socket.timeout.ms"));
    assert_eq!(c.default_topic_conf().int("message.timeout.ms"), 300000);
    assert_eq!(c.default_topic_conf().string("auto.offset.reset").as_deref(), Some("largest"));
}

#[test]
fn sensitive_properties() {
    let mut c = Conf::new();
    c.set("sasl.password", "hunter2").unwrap();
    c.set("ssl.key.password", "pw").unwrap();
    // rd_kafka_conf_dump shows them; the debug dump redacts them.
    assert!(c.dump().contains(&("sasl.password".to_string(), "hunter2".to_string())));
    let red = c.dump_modified_redacted();
    assert_eq!(
        red,
        vec![
            ("ssl.key.password".to_string(), "[redacted]".to_string()),
            ("sasl.password".to_string(), "[redacted]".to_string()),
        ]
    );
    assert!(!format!("{:?}", c).contains("hunter2"));
    assert!(property_info("sasl.password").unwrap().sensitive);
}

#[test]
fn property_info_lookup() {
    let p = property_info("linger.ms").unwrap();
    assert_eq!(p.name, "queue.buffering.max.ms");
    assert_eq!(p.alias_of, Some("queue.buffering.max.ms"));
    assert_eq!(p.range, Some((0.0, 900000.0)));
    assert_eq!(p.default.as_deref(), Some("5"));
    assert_eq!(p.client_type, "P");
    let p = property_info("auto.offset.reset").unwrap();
    assert_eq!(p.scope, Scope::Topic);
    assert!(p.values.contains(&"earliest"));
    assert!(property_info("nope").is_none());
    assert!(property_info("plugin.library.paths").unwrap().supported);
    assert!(!property_info("ssl.ca.certificate.stores").unwrap().supported);
}

#[test]
fn table_is_consistent() {
    for p in PROPERTIES {
        assert!(p.is_global() != (p.scope & props::TOPIC != 0), "{} scope", p.name);
        if p.kind == Kind::Alias {
            let scope = p.scope & (props::GLOBAL | props::TOPIC);
            let t = props::find(scope, p.name).expect("alias target");
            assert_ne!(PROPERTIES[t].kind, Kind::Alias);
        } else if p.kind != Kind::Invalid {
            assert!(!p.desc.is_empty(), "{} desc", p.name);
        }
        if p.kind == Kind::Int {
            assert!(p.vmin <= p.vdef && p.vdef <= p.vmax, "{} default", p.name);
        }
    }
}

#[test]
fn properties_show_layout() {
    let s = properties_show();
    assert!(s.starts_with("## Global configuration properties\n\n"));
    assert!(s.contains("\n\n\n## Topic configuration properties\n\n"));
    assert!(s.ends_with("### C/P legend: C = Consumer, P = Producer, * = both\n"));
    let line = s.lines().find(|l| l.starts_with("linger.ms ")).unwrap();
    assert!(line.starts_with(
        "linger.ms                                |  P  | 0 .. 900000     |             5 | high       | Alias for `queue.buffering.max.ms`: "
    ), "{line}");
    let line = s.lines().find(|l| l.starts_with("debug ")).unwrap();
    assert!(line.contains("| generic, broker, topic,"), "{line}");
    assert!(!s.contains("client.software.name"), "hidden properties are left out");
    assert!(!s.contains("sasl.jaas.config"));
}

#[test]
fn fmt_g_like_printf() {
    for (v, want) in [
        (5.0, "5"),
        (0.5, "0.5"),
        (1e9, "1e+09"),
        (123456.7, "123457"),
        (1.234e-5, "1.234e-05"),
        (0.0001, "0.0001"),
        (900000.0, "900000"),
        (1234567.0, "1.23457e+06"),
        (-0.0, "-0"),
        (f64::INFINITY, "inf"),
    ] {
        assert_eq!(fmt_g(v), want, "{v}");
    }
}

#[test]
fn strtol_like_c() {
    assert_eq!(strtol("12abc"), Some(12));
    assert_eq!(strtol("  -7"), Some(-7));
    assert_eq!(strtol("0x1f"), Some(31));
    assert_eq!(strtol("017"), Some(15));
    assert_eq!(strtol("0x"), Some(0));
    assert_eq!(strtol("abc"), None);
    assert_eq!(strtol("-"), None);
    assert_eq!(strtol("99999999999999999999999"), Some(i64::MAX));
}

#[test]
fn properties_show_columns_match_librdkafka() {
    // Everything but the description column (ours are our own words).
    let ours = properties_show();
    let cut: Vec<String> = ours
        .split('\n')
        .map(|l| {
            let parts: Vec<&str> = l.split(" | ").collect();
            if parts.len() >= 6 {
                parts[..5].join(" | ")
            } else {
                l.to_string()
            }
        })
        .collect();
    let want: Vec<String> = SHOW_COLUMNS.iter().map(|s| s.to_string()).collect();
    assert_eq!(cut, want);
}

#[test]
fn finalize_matches_librdkafka() {
    for (typ, sets, err, vals) in FINALIZE_CASES {
        let mut c = Conf::new();
        for (n, v) in *sets {
            c.set(n, v).unwrap();
        }
        let client = if *typ == 0 { ClientType::Producer } else { ClientType::Consumer };
        let r = c.finalize(client, "2.16.0");
        if err.is_empty() {
            assert!(r.is_ok(), "{sets:?}: {r:?}");
            for (name, want) in FINALIZE_WATCH.iter().zip(vals.iter()) {
                assert_eq!(c.get(name).ok().as_deref(), *want, "{sets:?}: {name}");
            }
        } else {
            assert_eq!(r.as_ref().err().map(|s| s.as_str()), Some(*err), "{sets:?}");
        }
    }
}

#[test]
fn finalize_topic_conf_for_idempotent_producer() {
    let mut c = Conf::new();
    c.set("enable.idempotence", "true").unwrap();
    c.set("message.timeout.ms", "10000").unwrap();
    c.finalize(ClientType::Producer, "1.0").unwrap();
    assert_eq!(c.default_topic_conf().int("acks"), -1);
    assert!(!c.default_topic_conf().is_set("acks"));
    assert_eq!(c.get("client.software.version").unwrap(), "1.0");
    let mut t = TopicConf::new();
    t.set("acks", "0").unwrap();
    assert!(t.finalize(ClientType::Producer, &c).is_err());
    assert!(t.finalize(ClientType::Consumer, &c).is_ok());
    assert_eq!(sanitize_software_str("  my app/1 "), "my-app-1");
}

/// Config parsing never panics: every property (global and topic) set to noise, edge
/// numbers, huge and unicode strings, lists with empty and repeated items; then the
/// whole configuration is read back and dumped. Errors are fine, panics are not.
#[test]
fn fuzz_config_parsing_never_panics() {
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let fixed: Vec<String> = [
        "",
        " ",
        ",",
        ",,",
        "-1",
        "0",
        "1",
        "-0",
        "2147483647",
        "2147483648",
        "-2147483649",
        "9223372036854775807",
        "99999999999999999999",
        "1e9",
        "0x10",
        "NaN",
        "inf",
        "true",
        "false",
        "TRUE",
        "yes",
        "all",
        "none",
        "gzip,snappy",
        "all,,all",
        "\u{1F600}",
        "é",
        "a=b",
        "\0x",
        "%s%n",
        "${x}",
        "^[",
        "([a-z",
        "localhost:",
        ":9092",
        "h:99999",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain(std::iter::once("x".repeat(100_000)))
    .collect();
    for p in props::PROPERTIES {
        let mut c = Conf::new();
        let mut t = TopicConf::new();
        let mut values = fixed.clone();
        for v in p.values.iter() {
            values.push(v.name.to_string());
            values.push(format!("{},{}", v.name, v.name));
            values.push(v.name.to_uppercase());
        }
        for _ in 0..20 {
            let len = (next() % 24) as usize;
            values.push((0..len).map(|_| char::from_u32((next() % 0x250) as u32).unwrap_or('?')).collect());
        }
        for v in &values {
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let _ = c.set(p.name, v);
                let _ = t.set(p.name, v);
                let _ = c.get(p.name);
                let _ = t.get(p.name);
            }));
            assert!(r.is_ok(), "{} = {:?} panicked", p.name, v.chars().take(40).collect::<String>());
        }
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _ = c.dump();
            let _ = t.dump();
        }));
        assert!(r.is_ok(), "dump after fuzzing {} panicked", p.name);
    }
}
