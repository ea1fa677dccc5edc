//! Records of what people tell their people's congress, and reading them from files.
//!
//! A [`Record`] is one submission (an opinion on a draft law, a petition, a deputy's suggestion, a
//! hotline ticket …). [`read`] turns JSON Lines, CSV (UTF-8 or GBK/GB18030) and `.xlsx` files into
//! records, reporting every row it cannot use as a [`Reject`] that names the file, the line and the
//! reason, while the good rows around it still come through. [`normalize`] holds the text
//! normalisation applied before indexing; records keep their original text. [`pii`] finds and
//! masks personal data for readers without the right to see it.

pub mod fields;
pub mod normalize;
pub mod pii;
pub mod read;
mod record;

pub use fields::FieldMapping;
pub use read::{ReadError, RecordReader, Reject, RowCheck, read_path};
pub use record::{Kind, Record, RecordError, parse_datetime};
