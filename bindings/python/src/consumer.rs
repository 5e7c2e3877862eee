//! Consumer, as confluent_kafka's: subscribe with rebalance callbacks (served by poll,
//! with the (incremental) assign done for the application when it does not), assign,
//! poll/consume, commits, positions and offsets, pause/resume, close.

use crate::client::{Client, Rk};
use crate::error::{check, check_error, check_what, exc, failed, KafkaError};
use crate::ffi;
use crate::metadata::{cluster_id, group_metadata_bytes, list_topics};
use crate::producer::Ptr;
use crate::types::{list_to_py, to_c_list, CList, Message, TopicPartition};
use crate::util::{cstring, text, timeout_ms};
use libc::{c_int, c_void};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple, PyType};

const ERR_NO_OFFSET: i32 = -168;
const ERR_INVALID_ARG: i32 = -186;

/// A Kafka consumer (confluent_kafka.Consumer on kafkars): a member of a consumer group
/// (subscribe()) or given partitions directly (assign()). poll() or consume() return
/// messages and serve the callbacks on the calling thread. Usable as a context manager
/// (closed on exit).
///
/// :param dict conf: the configuration: librdkafka properties, group.id required
///     (values are passed as str(); bools as "true"/"false"), plus the Python callables
///     error_cb(KafkaError), throttle_cb(ThrottleEvent), stats_cb(json_str),
///     oauth_cb(config_str), on_commit(KafkaError or None, [TopicPartition]), and
///     logger (a logging.Logger). Keyword arguments are added to it.
/// :raises ValueError: when group.id is not set.
/// :raises TypeError: when the configuration is not a dict or a callback is not
///     callable.
/// :raises KafkaException: when a property is unknown or invalid (_INVALID_ARG).
#[pyclass(module = "kafkars", subclass)]
pub struct Consumer {
    c: Client,
}

/// The message C gave, destroyed once read.
struct Msg(*mut ffi::rd_kafka_message_t);
unsafe impl Send for Msg {}

impl Msg {
    fn into_py_message(self, py: Python<'_>) -> PyResult<Message> {
        let m = unsafe { Message::from_c(py, self.0) };
        unsafe { ffi::rd_kafka_message_destroy(self.0) };
        m
    }
}

fn topic_names(topics: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    let l = topics
        .downcast::<PyList>()
        .map_err(|_| PyTypeError::new_err("expected list of topic unicode strings"))?;
    l.iter()
        .map(|t| {
            t.extract::<String>().map_err(|_| PyTypeError::new_err("expected list of topic unicode strings"))
        })
        .collect()
}

fn opt_callable(name: &str, v: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Py<PyAny>>> {
    match v {
        Some(v) if !v.is_none() => {
            if !v.is_callable() {
                return Err(PyTypeError::new_err(format!("{name} expects a callable")));
            }
            Ok(Some(v.clone().unbind()))
        }
        _ => Ok(None),
    }
}

#[pymethods]
impl Consumer {
    #[new]
    #[classmethod]
    #[pyo3(signature = (*args, **kwargs))]
    fn new(
        cls: &Bound<'_, PyType>,
        py: Python<'_>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let exact = cls.is(py.get_type::<Consumer>());
        Ok(Consumer { c: Client::for_new(py, exact, ffi::CONSUMER, args, kwargs)? })
    }

    /// Makes the handle of a subclass's instance (`super().__init__(conf)`); a no-op on
    /// one already made, as the base class configures in `__new__`.
    #[pyo3(name = "__init__", signature = (*args, **kwargs))]
    fn init(
        &mut self,
        py: Python<'_>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<()> {
        self.c.init(py, args, kwargs)
    }

    /// Subscribes to `topics` (replacing the previous subscription); the group assigns
    /// the partitions. The rebalance callbacks are called as (consumer,
    /// [TopicPartition]) from poll(), consume() or close(); when one does not (incremental)
    /// assign or unassign itself, that is done for it after it returns.
    ///
    /// :param list(str) topics: topic names; a name starting with "^" is a regex.
    /// :param callable on_assign: called with the partitions assigned.
    /// :param callable on_revoke: called with the partitions revoked.
    /// :param callable on_lost: called with the partitions lost (the group moved on
    ///     without this member); None (default): on_revoke is called instead.
    /// :returns: None
    /// :raises TypeError: when topics is not a list of str, or a callback not callable.
    /// :raises KafkaException: when the subscription fails.
    /// :raises RuntimeError: when the consumer is closed.
    #[pyo3(signature = (topics, on_assign=None, on_revoke=None, on_lost=None))]
    fn subscribe(
        &self,
        py: Python<'_>,
        topics: &Bound<'_, PyAny>,
        on_assign: Option<&Bound<'_, PyAny>>,
        on_revoke: Option<&Bound<'_, PyAny>>,
        on_lost: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let rk = self.c.rk()?;
        let names = topic_names(topics)?;
        {
            let mut r = self.c.state().rebalance.lock().unwrap();
            r.on_assign = opt_callable("on_assign", on_assign)?;
            r.on_revoke = opt_callable("on_revoke", on_revoke)?;
            r.on_lost = opt_callable("on_lost", on_lost)?;
        }
        let list = CList::new(names.len());
        for n in &names {
            unsafe { ffi::rd_kafka_topic_partition_list_add(list.0, cstring(n).as_ptr(), -1) };
        }
        check_what(py, unsafe { ffi::rd_kafka_subscribe(rk.p(), list.0) }, "Failed to set subscription")
    }

    /// Removes the subscription, and with it the partitions the group assigned.
    ///
    /// :returns: None
    /// :raises KafkaException: when it fails.
    /// :raises RuntimeError: when the consumer is closed.
    fn unsubscribe(&self, py: Python<'_>) -> PyResult<()> {
        check(py, unsafe { ffi::rd_kafka_unsubscribe(self.c.rk()?.p()) })
    }

    /// Sets the consumer's assignment to `partitions` (replacing it): consumption starts
    /// at each one's offset; OFFSET_INVALID or OFFSET_STORED start at the committed
    /// offset (else as auto.offset.reset says). In an on_assign callback, this takes the
    /// place of the assignment done for it.
    ///
    /// :param list(TopicPartition) partitions: the partitions (a list or tuple).
    /// :returns: None
    /// :raises TypeError: when partitions is not a list of TopicPartition.
    /// :raises KafkaException: when it fails.
    /// :raises RuntimeError: when the consumer is closed.
    fn assign(&self, py: Python<'_>, partitions: &Bound<'_, PyAny>) -> PyResult<()> {
        let list = to_c_list(partitions)?;
        self.mark_assigned();
        check(py, unsafe { ffi::rd_kafka_assign(self.c.rk()?.p(), list.0) })
    }

    /// Removes the whole assignment: consumption stops.
    ///
    /// :returns: None
    /// :raises KafkaException: when it fails.
    /// :raises RuntimeError: when the consumer is closed.
    fn unassign(&self, py: Python<'_>) -> PyResult<()> {
        self.mark_assigned();
        check(py, unsafe { ffi::rd_kafka_assign(self.c.rk()?.p(), std::ptr::null()) })
    }

    /// Adds `partitions` to the assignment (cooperative rebalancing), starting at their
    /// offsets as assign() does.
    ///
    /// :param list(TopicPartition) partitions: the partitions (a list or tuple).
    /// :returns: None
    /// :raises TypeError: when partitions is not a list of TopicPartition.
    /// :raises KafkaException: when it fails.
    /// :raises RuntimeError: when the consumer is closed.
    fn incremental_assign(&self, py: Python<'_>, partitions: &Bound<'_, PyAny>) -> PyResult<()> {
        let list = to_c_list(partitions)?;
        self.mark_assigned();
        unsafe { check_error(py, ffi::rd_kafka_incremental_assign(self.c.rk()?.p(), list.0)) }
    }

    /// Removes `partitions` from the assignment (cooperative rebalancing).
    ///
    /// :param list(TopicPartition) partitions: the partitions (a list or tuple).
    /// :returns: None
    /// :raises TypeError: when partitions is not a list of TopicPartition.
    /// :raises KafkaException: when it fails.
    /// :raises RuntimeError: when the consumer is closed.
    fn incremental_unassign(&self, py: Python<'_>, partitions: &Bound<'_, PyAny>) -> PyResult<()> {
        let list = to_c_list(partitions)?;
        self.mark_assigned();
        unsafe { check_error(py, ffi::rd_kafka_incremental_unassign(self.c.rk()?.p(), list.0)) }
    }

    /// The partitions currently assigned.
    ///
    /// :returns: the assignment.
    /// :rtype: list(TopicPartition)
    /// :raises KafkaException: when it fails.
    /// :raises RuntimeError: when the consumer is closed.
    fn assignment(&self, py: Python<'_>) -> PyResult<Vec<Py<TopicPartition>>> {
        let mut l = std::ptr::null_mut();
        check(py, unsafe { ffi::rd_kafka_assignment(self.c.rk()?.p(), &mut l) })?;
        CList(l).to_py(py)
    }

    /// The topics currently subscribed to.
    ///
    /// :returns: the topic names (and regexes) of the subscription.
    /// :rtype: list(str)
    /// :raises KafkaException: when it fails.
    /// :raises RuntimeError: when the consumer is closed.
    fn subscription(&self, py: Python<'_>) -> PyResult<Vec<String>> {
        let mut l = std::ptr::null_mut();
        check(py, unsafe { ffi::rd_kafka_subscription(self.c.rk()?.p(), &mut l) })?;
        let l = CList(l);
        Ok(l.to_py(py)?.iter().map(|t| t.borrow(py).topic.clone()).collect())
    }

    /// The next message or event (a Message whose error() is set), or None after
    /// `timeout` seconds (None: forever). Serves callbacks meanwhile.
    #[pyo3(signature = (timeout=None))]
    fn poll(slf: &Bound<'_, Self>, py: Python<'_>, timeout: Option<f64>) -> PyResult<Option<Message>> {
        let me = slf.borrow();
        let m = me.c.serve(py, slf.as_any(), timeout, |rk: Rk, ms| {
            let m = unsafe { ffi::rd_kafka_consumer_poll(rk.p(), ms) };
            (!m.is_null()).then_some(Msg(m))
        })?;
        m.map(|m| m.into_py_message(py)).transpose()
    }

    /// Consumes a batch of messages, serving callbacks meanwhile. Consumer errors come
    /// as messages whose error() is set.
    ///
    /// :param int num_messages: the most messages to return (0 to 1000000; default 1).
    /// :param float timeout: the longest wait in seconds for the first message; -1
    ///     (default): no limit.
    /// :returns: the messages (empty when the timeout passed).
    /// :rtype: list(Message)
    /// :raises ValueError: when num_messages is out of range.
    /// :raises RuntimeError: when the consumer is closed.
    /// :raises Exception: what a callback raised.
    #[pyo3(signature = (num_messages=1, timeout=-1.0))]
    fn consume(
        slf: &Bound<'_, Self>,
        py: Python<'_>,
        num_messages: i64,
        timeout: f64,
    ) -> PyResult<Vec<Message>> {
        if !(0..=1_000_000).contains(&num_messages) {
            return Err(PyValueError::new_err("num_messages must be between 0 and 1000000 (1M)"));
        }
        let me = slf.borrow();
        let n = num_messages as usize;
        let q = Ptr(unsafe { ffi::rd_kafka_queue_get_consumer(me.c.rk()?.p()) });
        let got = me.c.serve(py, slf.as_any(), Some(timeout), move |_rk: Rk, ms| {
            let q = &q;
            let mut buf: Vec<*mut ffi::rd_kafka_message_t> = vec![std::ptr::null_mut(); n];
            let k = unsafe { ffi::rd_kafka_consume_batch_queue(q.0, ms, buf.as_mut_ptr(), n) };
            (k > 0).then(|| buf.into_iter().take(k as usize).map(Msg).collect::<Vec<_>>())
        });
        unsafe { ffi::rd_kafka_queue_destroy(q.0) };
        got?.unwrap_or_default().into_iter().map(|m| m.into_py_message(py)).collect()
    }

    /// Commits `message`'s offset + 1, or `offsets`, or the current positions.
    /// Asynchronous: returns None (on_commit reports); else the committed partitions.
    #[pyo3(signature = (message=None, offsets=None, asynchronous=true))]
    fn commit(
        &self,
        py: Python<'_>,
        message: Option<&Bound<'_, PyAny>>,
        offsets: Option<&Bound<'_, PyAny>>,
        asynchronous: bool,
    ) -> PyResult<Option<Vec<Py<TopicPartition>>>> {
        let rk = self.c.rk()?;
        let message = as_message(message)?;
        if message.is_some() && offsets.is_some_and(|o| !o.is_none()) {
            return Err(PyTypeError::new_err("message and offsets are mutually exclusive"));
        }
        let list = match (message, offsets.filter(|o| !o.is_none())) {
            (Some(m), _) => Some(message_position(py, &m.borrow(), "commit")?),
            (_, Some(o)) => Some(to_c_list(o)?),
            _ => None,
        };
        let l = Ptr(list.as_ref().map_or(std::ptr::null_mut(), |l| l.0));
        if asynchronous {
            return check_what(py, unsafe { ffi::rd_kafka_commit(rk.p(), l.0, 1) }, "Commit failed")
                .map(|_| None);
        }
        let mut result = SyncCommit::default();
        let res_ptr = Ptr(&mut result as *mut SyncCommit);
        let err = py.detach(move || {
            let (l, r) = (l, res_ptr);
            unsafe {
                ffi::rd_kafka_commit_queue(
                    rk.p(),
                    l.0,
                    std::ptr::null_mut(),
                    Some(sync_commit_cb),
                    r.0 as *mut c_void,
                )
            }
        });
        let err = if err != 0 { err } else { result.err };
        let committed = unsafe { list_to_py(py, result.offsets) };
        if !result.offsets.is_null() {
            unsafe { ffi::rd_kafka_topic_partition_list_destroy(result.offsets) };
        }
        check_what(py, err, "Commit failed")?;
        Ok(Some(committed?))
    }

    /// Asks the group coordinator for the committed offsets of `partitions`.
    ///
    /// :param list(TopicPartition) partitions: the partitions (a list or tuple).
    /// :param float timeout: the longest wait in seconds; None (default) or negative: no
    ///     limit.
    /// :returns: the partitions with their committed offsets (OFFSET_INVALID when none)
    ///     and metadata, a partition's error set on it.
    /// :rtype: list(TopicPartition)
    /// :raises TypeError: when partitions is not a list of TopicPartition.
    /// :raises KafkaException: when the request fails or times out.
    /// :raises RuntimeError: when the consumer is closed.
    #[pyo3(signature = (partitions, timeout=None))]
    fn committed(
        &self,
        py: Python<'_>,
        partitions: &Bound<'_, PyAny>,
        timeout: Option<f64>,
    ) -> PyResult<Vec<Py<TopicPartition>>> {
        self.lookup(py, partitions, timeout, ffi::rd_kafka_committed)
    }

    /// The consumer's position in `partitions`: the offset of the next message to
    /// consume (the last one returned + 1).
    ///
    /// :param list(TopicPartition) partitions: the partitions (a list or tuple).
    /// :returns: the partitions with their positions (OFFSET_INVALID when none yet).
    /// :rtype: list(TopicPartition)
    /// :raises TypeError: when partitions is not a list of TopicPartition.
    /// :raises KafkaException: when it fails.
    /// :raises RuntimeError: when the consumer is closed.
    fn position(&self, py: Python<'_>, partitions: &Bound<'_, PyAny>) -> PyResult<Vec<Py<TopicPartition>>> {
        let list = to_c_list(partitions)?;
        check(py, unsafe { ffi::rd_kafka_position(self.c.rk()?.p(), list.0) })?;
        list.to_py(py)
    }

    /// Moves the fetch position of an assigned partition: the next message consumed
    /// from it is at the partition's offset.
    ///
    /// :param TopicPartition partition: the partition and offset (an offset or
    ///     OFFSET_BEGINNING, OFFSET_END).
    /// :returns: None
    /// :raises KafkaException: when the seek fails.
    /// :raises RuntimeError: when the consumer is closed.
    fn seek(&self, py: Python<'_>, partition: &Bound<'_, TopicPartition>) -> PyResult<()> {
        let list = CList::new(1);
        let offset = partition.borrow().offset;
        list.push(&partition.borrow());
        let what = format!("Failed to seek to offset {offset}");
        let e = unsafe { ffi::rd_kafka_seek_partitions(self.c.rk()?.p(), list.0, 0) };
        if !e.is_null() {
            let k = unsafe { KafkaError::from_c(e) };
            return Err(failed(py, k.code, &what));
        }
        let p = unsafe { &*(*list.0).elems };
        check_what(py, p.err, &what)
    }

    /// Pauses fetching from `partitions`; poll() returns none of their messages until
    /// resume().
    ///
    /// :param list(TopicPartition) partitions: the partitions (a list or tuple).
    /// :returns: None
    /// :raises TypeError: when partitions is not a list of TopicPartition.
    /// :raises KafkaException: when it fails.
    /// :raises RuntimeError: when the consumer is closed.
    fn pause(&self, py: Python<'_>, partitions: &Bound<'_, PyAny>) -> PyResult<()> {
        let list = to_c_list(partitions)?;
        check(py, unsafe { ffi::rd_kafka_pause_partitions(self.c.rk()?.p(), list.0) })
    }

    /// Resumes fetching from paused `partitions`.
    ///
    /// :param list(TopicPartition) partitions: the partitions (a list or tuple).
    /// :returns: None
    /// :raises TypeError: when partitions is not a list of TopicPartition.
    /// :raises KafkaException: when it fails.
    /// :raises RuntimeError: when the consumer is closed.
    fn resume(&self, py: Python<'_>, partitions: &Bound<'_, PyAny>) -> PyResult<()> {
        let list = to_c_list(partitions)?;
        check(py, unsafe { ffi::rd_kafka_resume_partitions(self.c.rk()?.p(), list.0) })
    }

    /// The low and high watermark offsets of a partition: its first offset and the
    /// offset the next message written gets.
    ///
    /// :param TopicPartition partition: the topic and partition (its offset is ignored).
    /// :param float timeout: the longest wait in seconds for the leader's answer; None
    ///     (default) or negative: no limit.
    /// :param bool cached: give the values last received with fetched messages instead
    ///     of asking the leader (OFFSET_INVALID when not known).
    /// :returns: (low, high)
    /// :rtype: tuple(int, int)
    /// :raises KafkaException: when the request fails or times out.
    /// :raises RuntimeError: when the consumer is closed.
    #[pyo3(signature = (partition, timeout=None, cached=false))]
    fn get_watermark_offsets(
        &self,
        py: Python<'_>,
        partition: &Bound<'_, TopicPartition>,
        timeout: Option<f64>,
        cached: bool,
    ) -> PyResult<(i64, i64)> {
        let rk = self.c.rk()?;
        let (topic, part) = {
            let p = partition.borrow();
            (cstring(&p.topic), p.partition)
        };
        let t = timeout_ms(timeout);
        let (err, lo, hi) = py.detach(move || unsafe {
            let (mut lo, mut hi) = (-1i64, -1i64);
            let e = if cached {
                ffi::rd_kafka_get_watermark_offsets(rk.p(), topic.as_ptr(), part, &mut lo, &mut hi)
            } else {
                ffi::rd_kafka_query_watermark_offsets(rk.p(), topic.as_ptr(), part, &mut lo, &mut hi, t)
            };
            (e, lo, hi)
        });
        check_what(py, err, "Failed to get watermark offsets")?;
        Ok((lo, hi))
    }

    /// Looks up offsets by timestamp: for each partition, the earliest offset whose
    /// message timestamp is at least the timestamp given.
    ///
    /// :param list(TopicPartition) partitions: the partitions, each offset field holding
    ///     a timestamp in milliseconds since the epoch.
    /// :param float timeout: the longest wait in seconds; None (default) or negative: no
    ///     limit.
    /// :returns: the partitions with the offsets found (OFFSET_END when no message is
    ///     that recent), a partition's error set on it.
    /// :rtype: list(TopicPartition)
    /// :raises TypeError: when partitions is not a list of TopicPartition.
    /// :raises KafkaException: when the request fails or times out.
    /// :raises RuntimeError: when the consumer is closed.
    #[pyo3(signature = (partitions, timeout=None))]
    fn offsets_for_times(
        &self,
        py: Python<'_>,
        partitions: &Bound<'_, PyAny>,
        timeout: Option<f64>,
    ) -> PyResult<Vec<Py<TopicPartition>>> {
        self.lookup(py, partitions, timeout, ffi::rd_kafka_offsets_for_times)
    }

    /// Stores offsets for the next commit (automatic, or commit() without arguments);
    /// meant for enable.auto.offset.store=false.
    ///
    /// :param Message message: store this message's offset + 1 (with its leader epoch).
    /// :param list(TopicPartition) offsets: store these offsets as given.
    /// :returns: None
    /// :raises ValueError: unless exactly one of message and offsets is given.
    /// :raises KafkaException: when nothing could be stored (say, a partition not
    ///     assigned), or the message has an error.
    /// :raises TypeError: when message is not a Message.
    /// :raises RuntimeError: when the consumer is closed.
    #[pyo3(signature = (message=None, offsets=None))]
    fn store_offsets(
        &self,
        py: Python<'_>,
        message: Option<&Bound<'_, PyAny>>,
        offsets: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let rk = self.c.rk()?;
        let message = as_message(message)?;
        let list = match (message, offsets.filter(|o| !o.is_none())) {
            (Some(_), Some(_)) => {
                return Err(PyValueError::new_err("message and offsets are mutually exclusive"))
            }
            (Some(m), _) => message_position(py, &m.borrow(), "store")?,
            (_, Some(o)) => to_c_list(o)?,
            _ => return Err(PyValueError::new_err("expected either message or offsets")),
        };
        // As confluent_kafka: only the call's result counts (librdkafka fails it when no
        // partition could be stored).
        check_what(py, unsafe { ffi::rd_kafka_offsets_store(rk.p(), list.0) }, "StoreOffsets failed")
    }

    /// The consumer's group metadata, for a transactional producer's
    /// send_offsets_to_transaction().
    ///
    /// :returns: the metadata, serialized.
    /// :rtype: bytes
    /// :raises KafkaException: when not available (_INVALID_ARG).
    /// :raises RuntimeError: when the consumer is closed.
    fn consumer_group_metadata(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let m = unsafe { ffi::rd_kafka_consumer_group_metadata(self.c.rk()?.p()) };
        if m.is_null() {
            return Err(exc(py, -186, Some("Consumer group metadata not available".into())));
        }
        unsafe { group_metadata_bytes(py, m) }
    }

    /// The consumer's member id in its group, given by the group coordinator.
    ///
    /// :returns: the member id, or None before the consumer joined.
    /// :rtype: str or None
    /// :raises RuntimeError: when the consumer is closed.
    fn memberid(&self) -> PyResult<Option<String>> {
        let rk = self.c.rk()?;
        let m = unsafe { ffi::rd_kafka_memberid(rk.p()) };
        if m.is_null() {
            return Ok(None);
        }
        let s = unsafe { text(m) };
        unsafe { ffi::rd_kafka_mem_free(rk.p(), m as *mut c_void) };
        Ok((!s.is_empty()).then_some(s))
    }

    /// Asks the cluster for its metadata: brokers, and topics with their partitions.
    ///
    /// :param str topic: only this topic; None (default): all topics.
    /// :param float timeout: the longest wait in seconds; -1 (default): no limit.
    /// :returns: the metadata.
    /// :rtype: kafkars.admin.ClusterMetadata
    /// :raises KafkaException: when it fails or times out (_TRANSPORT, _TIMED_OUT, ...).
    /// :raises RuntimeError: when the consumer is closed.
    #[pyo3(signature = (topic=None, timeout=-1.0))]
    fn list_topics(&self, py: Python<'_>, topic: Option<&str>, timeout: f64) -> PyResult<Py<PyAny>> {
        list_topics(py, self.c.handle()?, topic, timeout)
    }

    /// The cluster id, waiting up to `timeout` seconds (-1: forever) for metadata.
    #[pyo3(signature = (timeout=-1.0))]
    fn cluster_id(&self, py: Python<'_>, timeout: f64) -> PyResult<String> {
        cluster_id(py, self.c.handle()?, timeout)
    }

    /// Sets the SASL username and password (for PLAIN and SCRAM), used from the next
    /// authentication on; existing connections are not affected.
    ///
    /// :param str username: the new username.
    /// :param str password: the new password.
    /// :returns: None
    /// :raises KafkaException: when it fails.
    /// :raises RuntimeError: when the consumer is closed.
    fn set_sasl_credentials(&self, py: Python<'_>, username: &str, password: &str) -> PyResult<()> {
        let (u, p) = (cstring(username), cstring(password));
        unsafe {
            check_error(py, ffi::rd_kafka_sasl_set_credentials(self.c.rk()?.p(), u.as_ptr(), p.as_ptr()))
        }
    }

    /// Closes the consumer: leaves the group (serving the last rebalance callbacks;
    /// with enable.auto.commit, committing the final offsets) and destroys it. Later
    /// calls raise RuntimeError; closing again does nothing.
    ///
    /// :returns: None
    /// :raises KafkaException: when leaving the group fails.
    /// :raises Exception: what a rebalance callback raised.
    fn close(slf: &Bound<'_, Self>, py: Python<'_>) -> PyResult<()> {
        let rk = {
            let me = slf.borrow();
            match me.c.rk() {
                Ok(rk) => rk,
                Err(_) => return Ok(()),
            }
        };
        let res = {
            let me = slf.borrow();
            let r = me.c.serve(py, slf.as_any(), None, move |_, _| {
                Some(unsafe { ffi::rd_kafka_consumer_close(rk.p()) })
            });
            r
        };
        slf.borrow_mut().c.destroy(py);
        let err = res?.unwrap_or(0);
        // Closing with nothing left to commit is not an error.
        if err != 0 && err != ERR_NO_OFFSET {
            return Err(exc(py, err, None));
        }
        Ok(())
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __exit__(
        slf: &Bound<'_, Self>,
        py: Python<'_>,
        _a: Py<PyAny>,
        _b: Py<PyAny>,
        _c: Py<PyAny>,
    ) -> PyResult<()> {
        Consumer::close(slf, py)
    }
}

/// A blocking lookup that fills a partition list in place (committed, offsets_for_times).
type ListLookup =
    unsafe extern "C" fn(*mut ffi::rd_kafka_t, *mut ffi::rd_kafka_topic_partition_list_t, c_int) -> i32;

impl Consumer {
    /// Runs `f` on `partitions` without the GIL; the list as it filled it.
    fn lookup(
        &self,
        py: Python<'_>,
        partitions: &Bound<'_, PyAny>,
        timeout: Option<f64>,
        f: ListLookup,
    ) -> PyResult<Vec<Py<TopicPartition>>> {
        let rk = self.c.rk()?;
        let list = to_c_list(partitions)?;
        let (l, t) = (Ptr(list.0), timeout_ms(timeout));
        let err = py.detach(move || {
            let l = l;
            unsafe { f(rk.p(), l.0, t) }
        });
        check(py, err)?;
        list.to_py(py)
    }

    /// The application (un)assigned within a rebalance callback: nothing left to do.
    fn mark_assigned(&self) {
        let mut r = self.c.state().rebalance.lock().unwrap();
        if r.in_callback {
            r.assigned = true;
        }
    }
}

/// The `message` argument of commit/store_offsets: None, or a Message (checked after the
/// handle, as confluent_kafka does).
fn as_message<'py>(m: Option<&Bound<'py, PyAny>>) -> PyResult<Option<Bound<'py, Message>>> {
    match m.filter(|m| !m.is_none()) {
        None => Ok(None),
        Some(m) => Ok(Some(
            m.downcast::<Message>().map_err(|_| PyTypeError::new_err("expected kafkars.Message"))?.clone(),
        )),
    }
}

/// The partition of `m` at its offset + 1 with its leader epoch (what committing or
/// storing a message commits or stores); `verb` names the call in the error a message
/// with an error gets (confluent_kafka's text).
fn message_position(py: Python<'_>, m: &Message, verb: &str) -> PyResult<CList> {
    if let Some(e) = &m.error {
        let s =
            e.bind(py).call_method0("str").and_then(|s| s.str()).map(|s| s.to_string()).unwrap_or_default();
        let msg = format!("Cannot {verb} offsets for message with error: '{s}'");
        return Err(exc(py, ERR_INVALID_ARG, Some(msg)));
    }
    let topic: Option<String> = m.topic.as_ref().map(|t| t.extract(py)).transpose()?;
    // What a Message made without them holds in confluent_kafka: the core then judges
    // (an offset of -1001 + 1 is "no offset stored").
    let (t, p, o) = (topic.unwrap_or_default(), m.partition.unwrap_or(-1), m.offset.unwrap_or(-1001));
    let l = CList::new(1);
    l.push(&TopicPartition {
        topic: t,
        partition: p,
        offset: o + 1,
        metadata: None,
        leader_epoch: m.leader_epoch,
        error: None,
    });
    Ok(l)
}

/// What a synchronous commit's callback left.
struct SyncCommit {
    err: i32,
    offsets: *mut ffi::rd_kafka_topic_partition_list_t,
}

impl Default for SyncCommit {
    fn default() -> Self {
        SyncCommit { err: 0, offsets: std::ptr::null_mut() }
    }
}

extern "C" {
    fn rd_kafka_topic_partition_list_copy(
        src: *const ffi::rd_kafka_topic_partition_list_t,
    ) -> *mut ffi::rd_kafka_topic_partition_list_t;
}

/// Runs on the committing thread without the GIL: keeps a copy of the answer.
unsafe extern "C" fn sync_commit_cb(
    _rk: *mut ffi::rd_kafka_t,
    err: c_int,
    offsets: *mut ffi::rd_kafka_topic_partition_list_t,
    opaque: *mut c_void,
) {
    let r = &mut *(opaque as *mut SyncCommit);
    r.err = err;
    if !offsets.is_null() {
        r.offsets = rd_kafka_topic_partition_list_copy(offsets);
    }
}
