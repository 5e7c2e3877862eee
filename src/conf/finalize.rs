//! Cross-property checks and derived defaults applied when a client is
//! created (librdkafka's `rd_kafka_conf_finalize` and
//! `rd_kafka_topic_conf_finalize`). Errors are the errstr texts
//! `rd_kafka_new()` reports. Share consumers and OIDC are not covered.

use super::client_conf::Conf;
use super::store::{Store, Val};
use super::topic_conf::TopicConf;

/// Which kind of client the configuration is finalized for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientType {
    Producer,
    Consumer,
}

/// Most in-flight requests per connection an idempotent producer allows.
const IDEMP_MAX_INFLIGHT: i64 = 5;

impl Store {
    fn i(&self, name: &str) -> i64 {
        self.find(name).map_or(0, |i| self.int_at(i))
    }
    fn f(&self, name: &str) -> f64 {
        self.find(name).map_or(0.0, |i| self.float_at(i))
    }
    fn s(&self, name: &str) -> Option<String> {
        self.find(name).and_then(|i| self.string_at(i))
    }
    fn m(&self, name: &str) -> bool {
        self.find(name).is_some_and(|i| self.modified[i])
    }
    /// Writes a derived value without marking it as set by the user.
    fn force(&mut self, name: &str, v: Val) {
        if let Some(i) = self.find(name) {
            self.vals[i] = v;
        }
    }
    fn force_int(&mut self, name: &str, v: i64) {
        self.force(name, Val::Int(v.clamp(i32::MIN as i64, i32::MAX as i64) as i32));
    }
}

/// Keeps only `a-zA-Z0-9.-` (others become '-') and strips leading and
/// trailing non-alphanumerics, as brokers require for KIP-511 strings.
pub fn sanitize_software_str(s: &str) -> String {
    let t = s.trim_start_matches(|c: char| !c.is_ascii_alphanumeric());
    let mapped: String =
        t.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '.' { c } else { '-' }).collect();
    mapped.trim_end_matches(|c: char| !c.is_ascii_alphanumeric()).to_string()
}

impl Conf {
    /// Verifies the configuration for a new client and fills in derived
    /// values. `sw_version` is used for `client.software.version` when unset.
    pub fn finalize(&mut self, client: ClientType, sw_version: &str) -> Result<(), String> {
        let g = &mut self.store;
        if g.s("client.software.name").is_none() {
            let _ = g.set_by_name("client.software.name", "librdkafka");
        }
        if g.s("client.software.version").is_none() {
            let _ = g.set_by_name("client.software.version", sw_version);
        }
        for n in ["client.software.name", "client.software.version"] {
            let v = sanitize_software_str(&g.s(n).unwrap_or_default());
            g.force(n, Val::Str(v));
        }

        if g.s("ssl.keystore.location").is_some() && g.s("ssl.keystore.password").is_none() {
            return Err("`ssl.keystore.password` is mandatory when `ssl.keystore.location` is set".into());
        }
        if g.ptr("ssl_ca") != 0 && (g.s("ssl.ca.location").is_some() || g.s("ssl.ca.pem").is_some()) {
            return Err("`ssl.ca.location` or `ssl.ca.pem`, and memory-based set_ssl_cert(CERT_CA) are mutually exclusive.".into());
        }
        if g.s("https.ca.location").is_some() && g.s("https.ca.pem").is_some() {
            return Err("`https.ca.location` and `https.ca.pem` are mutually exclusive".into());
        }
        if g.s("sasl.mechanisms").is_some_and(|m| m.eq_ignore_ascii_case("OAUTHBEARER"))
            && g.i("enable.sasl.oauthbearer.unsecure.jwt") != 0
            && g.ptr("oauthbearer_token_refresh_cb") != 0
        {
            return Err("`enable.sasl.oauthbearer.unsecure.jwt` and `oauthbearer_token_refresh_cb` are mutually exclusive".into());
        }
        if g.s("sasl.mechanisms").is_some_and(|m| m.eq_ignore_ascii_case("OAUTHBEARER"))
            && g.i("sasl.oauthbearer.method") == 1
        {
            if g.i("enable.sasl.oauthbearer.unsecure.jwt") != 0 {
                return Err("`enable.sasl.oauthbearer.unsecure.jwt` and `sasl.oauthbearer.method=oidc` are mutually exclusive".into());
            }
            if g.s("sasl.oauthbearer.token.endpoint.url").is_none() {
                return Err("`sasl.oauthbearer.token.endpoint.url` is mandatory when `sasl.oauthbearer.method=oidc` is set".into());
            }
        }

        match client {
            ClientType::Consumer => {
                let fmb = g.i("fetch.min.bytes");
                if !(1..=100_000_000).contains(&fmb) {
                    return Err("Configuration property \"fetch.min.bytes\" value is outside allowed range 1..100000000".into());
                }
                // group.protocol: 0 = classic, 1 = consumer (KIP-848).
                if g.i("group.protocol") == 0 {
                    if g.i("max.poll.interval.ms") < g.i("session.timeout.ms") {
                        return Err("`max.poll.interval.ms`must be >= `session.timeout.ms`".into());
                    }
                } else {
                    if g.m("session.timeout.ms") {
                        return Err("`session.timeout.ms` is not supported for `group.protocol=consumer` or share consumer. It is defined broker side".into());
                    }
                    if g.m("partition.assignment.strategy") {
                        return Err("`partition.assignment.strategy` is not supported for `group.protocol=consumer`. Use `group.remote.assignor` instead".into());
                    }
                    if g.m("group.protocol.type") {
                        return Err("`group.protocol.type` is not supported for `group.protocol=consumer` or share consumer".into());
                    }
                    if g.m("heartbeat.interval.ms") {
                        return Err("`heartbeat.interval.ms` is not supported for `group.protocol=consumer` or share consumer. It is defined broker side".into());
                    }
                }
                let max_msg = g.i("message.max.bytes");
                if g.m("fetch.max.bytes") {
                    if g.i("fetch.max.bytes") < max_msg {
                        return Err("`fetch.max.bytes` must be >= `message.max.bytes`".into());
                    }
                } else {
                    let v = g.i("fetch.max.bytes").min(g.i("queued.max.messages.kbytes") * 1024).max(max_msg);
                    g.force_int("fetch.max.bytes", v);
                }
                let fmax = g.i("fetch.max.bytes");
                if g.m("receive.message.max.bytes") {
                    if fmax + 512 > g.i("receive.message.max.bytes") {
                        return Err("`receive.message.max.bytes` must be >= `fetch.max.bytes` + 512".into());
                    }
                } else {
                    let v = g.i("receive.message.max.bytes").max(fmax + 512);
                    g.force_int("receive.message.max.bytes", v);
                }
                // Idempotence is a producer notion.
                g.force_int("enable.idempotence", 0);
            }
            ClientType::Producer => {
                if g.s("transactional.id").is_some() {
                    if g.i("enable.idempotence") == 0 {
                        if g.m("enable.idempotence") {
                            return Err("`transactional.id` requires `enable.idempotence=true`".into());
                        }
                        g.force_int("enable.idempotence", 1);
                    }
                    let tto = g.i("transaction.timeout.ms");
                    if !g.m("socket.timeout.ms") {
                        g.force_int("socket.timeout.ms", (tto - 100).max(900));
                    } else if tto + 100 < g.i("socket.timeout.ms") {
                        return Err(
                            "`socket.timeout.ms` must be set <= `transaction.timeout.ms` + 100".into()
                        );
                    }
                }
                if g.i("enable.idempotence") != 0 {
                    let mif = "max.in.flight.requests.per.connection";
                    if g.m(mif) {
                        if g.i(mif) > IDEMP_MAX_INFLIGHT {
                            return Err(
                                "`max.in.flight` must be set <= 5 when `enable.idempotence` is true".into()
                            );
                        }
                    } else {
                        let v = g.i(mif).min(IDEMP_MAX_INFLIGHT);
                        g.force_int(mif, v);
                    }
                    if g.m("message.send.max.retries") {
                        if g.i("message.send.max.retries") < 1 {
                            return Err("`retries` must be set >= 1 when `enable.idempotence` is true".into());
                        }
                    } else {
                        g.force_int("message.send.max.retries", i32::MAX as i64);
                    }
                    let bp = "queue.buffering.backpressure.threshold";
                    if g.m(bp) && g.i(bp) > 1 {
                        return Err("`queue.buffering.backpressure.threshold` must be set to 1 when `enable.idempotence` is true".into());
                    }
                    g.force_int(bp, 1);
                } else if g.i("enable.gapless.guarantee") != 0 && g.m("enable.gapless.guarantee") {
                    return Err(
                        "`enable.gapless.guarantee` requires `enable.idempotence` to be enabled".into()
                    );
                }
                if !g.m("sticky.partitioning.linger.ms") {
                    let v = (2.0 * g.f("queue.buffering.max.ms")) as i64;
                    g.force_int("sticky.partitioning.linger.ms", v.min(900_000));
                }
            }
        }

        let refresh = g.i("topic.metadata.refresh.interval.ms");
        if !g.m("metadata.max.age.ms") && refresh > 0 {
            g.force_int("metadata.max.age.ms", refresh * 3);
        }
        if g.i("reconnect.backoff.max.ms") < g.i("reconnect.backoff.ms") {
            return Err("`reconnect.backoff.max.ms` must be >= `reconnect.backoff.ms`".into());
        }
        if !g.m("topic.metadata.refresh.fast.interval.ms") {
            let v = g.i("retry.backoff.ms");
            g.force_int("topic.metadata.refresh.fast.interval.ms", v);
        }
        if !g.m("connections.max.idle.ms")
            && g.s("metadata.broker.list").is_some_and(|b| b.to_ascii_lowercase().contains("azure"))
        {
            // Azure's load balancers drop idle connections after 4 minutes.
            g.force_int("connections.max.idle.ms", (4 * 60 - 10) * 1000);
        }
        if !g.m("allow.auto.create.topics") {
            let v = (client == ClientType::Producer) as i64;
            g.force_int("allow.auto.create.topics", v);
        }

        if self.has_topic {
            if client == ClientType::Producer {
                let mto = self.topic.store.i("message.timeout.ms");
                let linger = self.store.f("queue.buffering.max.ms");
                if mto != 0 && (mto as f64) <= linger {
                    if self.store.m("queue.buffering.max.ms") {
                        return Err("`message.timeout.ms` must be greater than `linger.ms`".into());
                    }
                    // Keep linger below the message timeout.
                    self.store.force("queue.buffering.max.ms", Val::Dbl(mto as f64 - 0.1));
                }
            }
            let mut t = std::mem::take(&mut self.topic);
            let r = t.finalize(client, self);
            self.topic = t;
            r?;
        }
        Ok(())
    }
}

impl TopicConf {
    /// Verifies a topic configuration against its client's `global` conf
    /// and fills in derived values (producers only; consumers need nothing).
    pub fn finalize(&mut self, client: ClientType, global: &Conf) -> Result<(), String> {
        if client != ClientType::Producer {
            return Ok(());
        }
        let g = &global.store;
        let t = &mut self.store;
        if g.i("enable.idempotence") != 0 {
            if t.m("request.required.acks") {
                if t.i("request.required.acks") != -1 {
                    return Err("`acks` must be set to `all` when `enable.idempotence` is true".into());
                }
            } else {
                t.force_int("request.required.acks", -1);
            }
            // queuing.strategy: 0 = fifo.
            if t.m("queuing.strategy") {
                if t.i("queuing.strategy") != 0 {
                    return Err(
                        "`queuing.strategy` must be set to `fifo` when `enable.idempotence` is true".into()
                    );
                }
            } else {
                t.force_int("queuing.strategy", 0);
            }
            if g.s("transactional.id").is_some() {
                let tto = g.i("transaction.timeout.ms");
                if !t.m("message.timeout.ms") {
                    t.force_int("message.timeout.ms", tto);
                } else if t.i("message.timeout.ms") > tto {
                    return Err("`message.timeout.ms` must be set <= `transaction.timeout.ms`".into());
                }
            }
        }
        let mto = t.i("message.timeout.ms");
        if mto != 0 && (mto as f64) <= g.f("queue.buffering.max.ms") && g.m("queue.buffering.max.ms") {
            return Err("`message.timeout.ms` must be greater than `linger.ms`".into());
        }
        Ok(())
    }
}
