//! PNG encoding tuned for speed: a screen at 3x is about 3 million pixels of mostly flat
//! colour, which fdeflate's fast mode compresses well in a fraction of the default's time.

use tiny_skia::Pixmap;

use crate::error::RenderError;

/// Encodes `pixmap` (premultiplied RGBA) as an 8-bit RGBA PNG.
pub(crate) fn encode_png(pixmap: &Pixmap) -> Result<Vec<u8>, RenderError> {
    let err = |e: png::EncodingError| RenderError::Png(e.to_string());
    // Premultiplied and straight alpha are the same bytes where every pixel is opaque (a
    // screen always is): skip the copy then.
    let opaque = pixmap.pixels().iter().all(|p| p.alpha() == 255);
    let owned;
    let rgba: &[u8] = if opaque {
        pixmap.data()
    } else {
        owned = pixmap.clone().take_demultiplied();
        &owned
    };
    let mut out = Vec::with_capacity(rgba.len() / 8);
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    // Flat UI colours: predicting from the pixel to the left is cheap and compresses well.
    encoder.set_filter(png::Filter::Sub);
    let mut writer = encoder.write_header().map_err(err)?;
    writer.write_image_data(rgba).map_err(err)?;
    writer.finish().map_err(err)?;
    Ok(out)
}
