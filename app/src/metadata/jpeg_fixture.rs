//! A test fixture, shared with the server's tests (which include this file by path).

/// A minimal JPEG: SOI, an APP1 Exif segment holding a fake GPS tag, a scan, EOI.
pub fn jpeg_with_exif() -> Vec<u8> {
    let payload = b"Exif\0\0MM\0*GPSLatitude=36.6N";
    let mut v = vec![0xFF, 0xD8, 0xFF, 0xE1];
    v.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    v.extend_from_slice(payload);
    v.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x02, 0x00, 0xFF, 0xD9]);
    v
}
