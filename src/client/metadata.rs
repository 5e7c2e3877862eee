//! Metadata requests and what their answers change: the brokers the client knows, the
//! cluster id and controller, each topic's partitions and leaders (moving partitions
//! between broker threads), and the messages that waited for a topic's metadata.

use super::parts::Client;
use crate::broker::{BrokerHandle, Brokers, Request};
use crate::clock::now_us;
use crate::consumer::group::handle::GroupOp;
use crate::error::{ErrorCode, KafkaError};
use crate::instance::dbg;
use crate::message::Message;
use crate::metadata::{Partition, Topic};
use crate::producer::deliver::fail_msgs;
use crate::producer::enqueue::enqueue_known;
use bytes::Bytes;
use kafka_protocol::messages::metadata_request::MetadataRequestTopic;
use kafka_protocol::messages::{ApiKey, MetadataRequest, MetadataResponse, TopicName};
use kafka_protocol::protocol::StrBytes;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Weak};
use std::time::Duration;

/// Builds a Metadata request. `topics` None = all topics in the cluster.
pub fn build_request(
    topics: Option<Vec<String>>,
    allow_auto_create: bool,
) -> impl FnOnce(i16) -> MetadataRequest + Send {
    move |_ver| {
        // A brokers-only request creates nothing (librdkafka sends false there too).
        let allow_auto_create = allow_auto_create && !topics.as_ref().is_some_and(|t| t.is_empty());
        let mut r = MetadataRequest::default();
        r.topics = topics.map(|ts| {
            ts.into_iter()
                .map(|t| {
                    let mut mt = MetadataRequestTopic::default();
                    mt.name = Some(TopicName(StrBytes::from_string(t)));
                    mt
                })
                .collect()
        });
        r.allow_auto_topic_creation = allow_auto_create;
        r
    }
}

fn request(
    topics: Option<Vec<String>>,
    allow_auto_create: bool,
    timeout: Option<Duration>,
    done: Box<dyn FnOnce(Result<MetadataResponse, KafkaError>) + Send>,
) -> Request {
    let build = build_request(topics, allow_auto_create);
    Request::schema(
        ApiKey::Metadata,
        1,
        crate::protocol::our_max_version(ApiKey::Metadata),
        build,
        move |res: Result<(i16, Bytes), KafkaError>| {
            let parsed = crate::protocol::decode_response::<MetadataResponse>(res);
            done(parsed)
        },
    )
    .with_timeout(timeout)
}

/// Sends a Metadata request to some broker; `done` gets the decoded response.
pub fn send(
    brokers: &Brokers,
    topics: Option<Vec<String>>,
    allow_auto_create: bool,
    timeout: Option<Duration>,
    done: Box<dyn FnOnce(Result<MetadataResponse, KafkaError>) + Send>,
) {
    let req = request(topics, allow_auto_create, timeout, done);
    if let Err(req) = brokers.send_any(req) {
        req.fail(KafkaError::new(ErrorCode::_TRANSPORT, "No brokers configured"));
    }
}

/// Sends a Metadata request to a given broker.
pub fn send_to(
    broker: &BrokerHandle,
    topics: Option<Vec<String>>,
    allow_auto_create: bool,
    timeout: Option<Duration>,
    done: Box<dyn FnOnce(Result<MetadataResponse, KafkaError>) + Send>,
) {
    broker.send(request(topics, allow_auto_create, timeout, done));
}

/// Refreshes metadata for every topic this client uses (producer) — sparse, as librdkafka.
pub fn refresh_known_topics(client: &Arc<Client>) {
    let allow = client.rk.settings.allow_auto_create;
    let (hints, used): (Vec<_>, Vec<_>) =
        client.cache.known_topics().into_iter().partition(|t| allow && t.hint.load(Ordering::Acquire));
    let names: Vec<String> = used.iter().map(|t| t.name.clone()).collect();
    if !hints.is_empty() {
        // Looked-up topics in a request of their own that creates nothing.
        let weak: Weak<Client> = Arc::downgrade(client);
        let hinted = hints.iter().map(|t| t.name.clone()).collect();
        send(
            &client.brokers,
            Some(hinted),
            false,
            None,
            Box::new(move |res| {
                if let (Some(client), Ok(md)) = (weak.upgrade(), res) {
                    apply(&client, &md, false);
                }
            }),
        );
    }
    if names.is_empty()
        && client.cache.metadata_ok.load(Ordering::Acquire)
        && !client.cache.want_all_topics.load(Ordering::Acquire)
    {
        return;
    }
    client.cache.refresh_sent();
    let weak: Weak<Client> = Arc::downgrade(client);
    // With no topics yet, ask for brokers only (an empty topic list, not "all topics");
    // a pattern subscription needs every topic.
    let want = if client.cache.want_all_topics.load(Ordering::Acquire) { None } else { Some(names) };
    let all = want.is_none();
    send(
        &client.brokers,
        want,
        allow,
        None,
        Box::new(move |res| {
            let Some(client) = weak.upgrade() else { return };
            match res {
                Ok(md) => apply(&client, &md, all),
                Err(e) => {
                    client.rk.dbg(dbg::METADATA, "METADATA", || format!("Metadata request failed: {}", e.msg))
                }
            }
        }),
    );
}

/// Applies a Metadata response to the cache: brokers, controller, partition leaders;
/// `all_topics`: the request asked for every topic, so the answer lists the cluster's
/// topics (an answer about some topics must not replace that list: a pattern
/// subscription would lose its matches).
pub fn apply(client: &Arc<Client>, md: &MetadataResponse, all_topics: bool) {
    let _serial = client.cache.apply_lock();
    client.cache.metadata_ok.store(true, Ordering::Release);
    {
        let mut c = client.cache.cluster.write().unwrap_or_else(|e| e.into_inner());
        c.cluster_id = md.cluster_id.as_ref().map(|s| s.to_string());
        c.controller_id = md.controller_id.0;
        c.brokers_known = true;
    }
    for b in &md.brokers {
        client.brokers.learn(b.node_id.0, b.host.as_str(), b.port as u16);
    }
    if all_topics && client.cache.want_all_topics.load(Ordering::Acquire) {
        let mut names: Vec<String> = md
            .topics
            .iter()
            .filter(|t| t.error_code == 0 && !t.is_internal)
            .filter_map(|t| t.name.as_ref().map(|n| n.0.to_string()))
            .collect();
        names.sort();
        *client.cache.all_topics.lock().unwrap_or_else(|e| e.into_inner()) = names;
        if let Some(g) = client.consumer.group.get() {
            g.send(GroupOp::Metadata);
        }
    }
    for mt in &md.topics {
        let Some(name) = mt.name.as_ref() else { continue };
        let topic = client.cache.get(name.0.as_str());
        let Some(topic) = topic else { continue };
        let err = ErrorCode(mt.error_code as i32);
        if err == ErrorCode::NO_ERROR && !mt.partitions.is_empty() {
            update_partitions(client, &topic, mt);
        } else if err == ErrorCode::UNKNOWN_TOPIC_OR_PART
            || (err == ErrorCode::NO_ERROR && mt.partitions.is_empty())
        {
            let propagation = client.rk.settings.metadata_propagation_max_ms;
            if topic.created.elapsed() >= Duration::from_millis(propagation.max(0) as u64) {
                mark_notexists(client, &topic, ErrorCode::_UNKNOWN_TOPIC);
            }
        } else if err == ErrorCode::TOPIC_AUTHORIZATION_FAILED || err == ErrorCode::TOPIC_EXCEPTION {
            mark_notexists(client, &topic, err);
        } else {
            client
                .rk
                .dbg(dbg::METADATA, "METADATA", || format!("Topic {} metadata error: {}", topic.name, err));
        }
    }
}

fn mark_notexists(client: &Arc<Client>, topic: &Arc<Topic>, err: ErrorCode) {
    {
        let mut st = topic.state_mut();
        if st.known && err == ErrorCode::_UNKNOWN_TOPIC && !st.partitions.is_empty() {
            // A topic we already know momentarily missing (broker restart): keep its state.
            return;
        }
        st.notexists = true;
        st.err = err.0;
    }
    let msgs: Vec<Box<Message>> = topic.ua.lock().unwrap_or_else(|e| e.into_inner()).drain(..).collect();
    if !msgs.is_empty() {
        let reason = if err == ErrorCode::_UNKNOWN_TOPIC {
            format!("Topic {} does not exist", topic.name)
        } else {
            format!("Topic {}: {}", topic.name, err.description())
        };
        fail_msgs(&client.producer, msgs, err, Some(reason));
    }
}

fn update_partitions(
    client: &Arc<Client>,
    topic: &Arc<Topic>,
    mt: &kafka_protocol::messages::metadata_response::MetadataResponseTopic,
) {
    let count = mt.partitions.iter().map(|p| p.partition_index + 1).max().unwrap_or(0).max(0) as usize;
    let parts: Vec<Arc<Partition>> = {
        let mut st = topic.state_mut();
        let name: Arc<str> = Arc::from(topic.name.as_str());
        while st.partitions.len() < count {
            let id = st.partitions.len() as i32;
            st.partitions.push(topic.new_partition(name.clone(), id));
        }
        // A topic seen for the first time becomes known below, once its leaders are set
        // and its unassigned messages moved (see there).
        if st.known {
            st.count = count as i32;
        }
        st.notexists = false;
        st.err = 0;
        st.metadata_age = Some(std::time::Instant::now());
        st.partitions.clone()
    };
    for mp in &mt.partitions {
        let Some(p) = parts.get(mp.partition_index.max(0) as usize) else { continue };
        p.leader_epoch.store(mp.leader_epoch, Ordering::Release);
        let leader = if mp.leader_id.0 >= 0
            && (mp.error_code == 0 || mp.error_code == ErrorCode::REPLICA_NOT_AVAILABLE.0 as i16)
        {
            client.brokers.by_id(mp.leader_id.0)
        } else {
            None
        };
        set_leader(client, p, leader);
    }
    // Messages produced before the partition count was known go to their partitions
    // ahead of anything produced after, so per-partition produce order holds (which the
    // idempotent producer guarantees): while the topic is not known producers keep
    // adding to the unassigned queue (under the state's read lock); it is moved until a
    // check under the write lock finds it empty, and only then is the topic known. The
    // partitioner (possibly the application's) runs with no topic lock held.
    // Failed messages are reported only once the topic is known: an application that
    // sees the report and produces again must get the immediate answer, not a queued one.
    let mut failed = Vec::new();
    loop {
        let ua: Vec<Box<Message>> = topic.ua.lock().unwrap_or_else(|e| e.into_inner()).drain(..).collect();
        for m in ua {
            if let Err((m, err)) = enqueue_known(topic, &parts, m) {
                let mut m = m;
                m.c.partition = m.want_partition;
                failed.push((m, err));
            }
        }
        let mut st = topic.state_mut();
        if topic.ua.lock().unwrap_or_else(|e| e.into_inner()).is_empty() {
            st.known = true;
            st.count = count as i32;
            break;
        }
    }
    for (m, err) in failed {
        fail_msgs(&client.producer, vec![m], err, None);
    }
}

/// Moves a partition to a new leader broker (or none), waking the new leader.
pub fn set_leader(client: &Client, p: &Arc<Partition>, leader: Option<Arc<BrokerHandle>>) {
    let new_id = leader.as_ref().map_or(-1, |b| b.id);
    let Some((old_id, has_msgs)) = p.set_leader(new_id, leader.as_ref().map(|b| b.waker())) else { return };
    if let Some(o) = client.brokers.by_id(old_id).filter(|_| old_id >= 0) {
        o.remove_toppar(p);
    }
    if let Some(l) = &leader {
        client.rk.dbg(dbg::TOPIC, "BRKDELGT", || {
            format!("{} [{}]: delegate to broker {} (was {})", p.topic_name, p.id, l.name, old_id)
        });
        l.add_toppar(p.clone());
        if has_msgs {
            l.wake();
        }
    }
}

/// Periodic scan: time out unassigned messages; tell whether a metadata refresh is needed.
pub fn scan_topics(client: &Arc<Client>) -> bool {
    let now = now_us();
    let mut needs = false;
    for t in client.cache.known_topics() {
        let (known, notexists, missing_leader) = {
            let st = t.state();
            let missing = st.partitions.iter().any(|p| p.leader_id.load(Ordering::Acquire) < 0);
            (st.known, st.notexists, missing)
        };
        if (!known && !notexists) || missing_leader {
            needs = true;
        }
        let tmo = t.settings.message_timeout_us;
        if tmo > 0 {
            let expired: Vec<Box<Message>> = {
                let mut ua = t.ua.lock().unwrap_or_else(|e| e.into_inner());
                let mut out = Vec::new();
                while ua.front().is_some_and(|m| m.enq_us + tmo <= now) {
                    if let Some(m) = ua.pop_front() {
                        out.push(m);
                    }
                }
                out
            };
            if !expired.is_empty() {
                fail_msgs(&client.producer, expired, ErrorCode::_MSG_TIMED_OUT, None);
            }
        }
    }
    needs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conf::{ClientType, Conf};
    use crate::instance::Hooks;
    use kafka_protocol::messages::metadata_response::MetadataResponseTopic;

    fn listing(names: &[&str]) -> MetadataResponse {
        let mut md = MetadataResponse::default();
        for n in names {
            let mut t = MetadataResponseTopic::default();
            t.name = Some(TopicName(StrBytes::from_string(n.to_string())));
            md.topics.push(t);
        }
        md
    }

    /// The group leader refreshes only its members' topics before assigning; that answer
    /// must not replace the cluster's topic list, or a pattern subscription that matched
    /// nothing yet would keep rejoining with nothing (the regex group test's old flake).
    #[test]
    fn an_answer_about_some_topics_keeps_the_cluster_topic_list() {
        let c = Client::new(ClientType::Consumer, Conf::new(), Hooks::default()).expect("client");
        c.cache.want_all_topics.store(true, Ordering::Release);
        apply(&c, &listing(&["rx-b", "rx-a"]), true);
        assert_eq!(c.cache.cluster_topics(), ["rx-a", "rx-b"]);
        apply(&c, &listing(&[]), false);
        assert_eq!(c.cache.cluster_topics(), ["rx-a", "rx-b"]);
        apply(&c, &listing(&["rx-c"]), true);
        assert_eq!(c.cache.cluster_topics(), ["rx-c"]);
        c.shutdown();
    }
}
