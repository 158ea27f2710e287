//! A liquid value`

mod cow;
mod display;
mod state;
mod values;
mod view;

pub(crate) mod ser;

pub use cow::*;
pub use display::*;
pub use ser::*;
pub use state::*;
pub use values::*;
pub use view::*;
