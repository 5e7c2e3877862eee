//! The Admin API's domain. This file only declares and re-exports; the children import
//! one another directly.

mod op;

pub use op::AdminOp;
