//! TEMP STUB (helper writes the real one)
use super::types::*;
use crate::error::KafkaError;
use libc::c_char;
pub(crate) fn error_to_c(e: KafkaError) -> *mut rd_kafka_error_t { Box::into_raw(Box::new(e)) as *mut rd_kafka_error_t }
#[no_mangle]
pub extern "C" fn rd_kafka_err2str(err: rd_kafka_resp_err_t) -> *const c_char { let _ = err; c"".as_ptr() }
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_error_code(e: *const rd_kafka_error_t) -> rd_kafka_resp_err_t { (e as *const KafkaError).as_ref().map_or(0, |e| e.code.0) }
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_error_destroy(e: *mut rd_kafka_error_t) { if !e.is_null() { drop(Box::from_raw(e as *mut KafkaError)) } }
#[no_mangle]
pub unsafe extern "C" fn kafkars_error_new_str(code: rd_kafka_resp_err_t, msg: *const c_char) -> *mut rd_kafka_error_t { error_to_c(KafkaError::new(crate::error::ErrorCode(code), super::util::cstr(msg).unwrap_or(""))) }
