//! The render crate's integration tests, one binary (a module per topic): pixels of snapshots
//! and screens, finalizing documents, and the compiler's fixture documents drawn.

mod app_fonts;
mod app_images;
mod finalize;
mod layout_documents;
mod pictures;
mod pixels;
