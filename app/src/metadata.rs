//! Removing location data from photos before they are stored, as the file streams in, so that
//! an upload is never held whole in memory: the bytes pass through a [`Stripper`] chunk by chunk
//! and only a segment header (a few bytes; a HEIC file's `meta` box, at most
//! [`MAX_HELD_BYTES`]) waits for the rest of itself.
//!
//! - JPEG: every APP1 segment (Exif, where cameras write GPS coordinates, and XMP) is dropped
//!   before the image data; the rest is copied.
//! - PNG: the `eXIf` chunk and the text chunks (`tEXt`, `zTXt`, `iTXt`: XMP and "raw profile"
//!   Exif live there) are dropped; every chunk carries its own checksum, so nothing else changes.
//! - WebP: the `EXIF` and `XMP ` chunks become unknown chunks of zeros of the same size (readers
//!   skip them) and the flags of `VP8X` no longer announce them, so that the RIFF size written at
//!   the start of the file stays true without going back to it.
//! - HEIC: the bytes of the `Exif` and XMP (`mime`) items are overwritten with zeros in place, so
//!   no offset in the file changes; the `meta` box that lists them is read first.
//! - PDF: unchanged.
//!
//! A file the reader cannot follow is copied unchanged from where it lost its way (its type was
//! already judged from its bytes), except a HEIC file whose metadata items lie before its `meta`
//! box or whose `meta` box is larger than [`MAX_HELD_BYTES`]: those bytes would have been written
//! already, so the file is refused ([`Unreadable`]).

mod heic;

use crate::domain::evidence::EvidenceKind;

/// The most bytes a [`Stripper`] holds at once (a HEIC file's `meta` box).
pub const MAX_HELD_BYTES: usize = 1 << 20;

/// A photo whose location data could not be removed while streaming it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unreadable;

/// What to do with the bytes that follow a header.
#[derive(Debug)]
enum Run {
    Copy(u64),
    Drop(u64),
    Zero(u64),
    /// Everything to the end, with the bytes of these (file offset, length) ranges zeroed.
    Rest(Vec<(u64, u64)>),
}

/// What a format's reader makes of the header bytes gathered so far.
enum Next {
    /// It needs this many header bytes in all.
    More(usize),
    /// It wrote what it keeps of the header; the bytes after it go this way.
    Go(Run),
}

#[derive(Debug, Clone, Copy)]
enum Format {
    Jpeg { started: bool },
    Png { started: bool },
    Webp { started: bool },
    Heic,
    Pdf,
}

/// Streams one file, removing its location data (see the module's documentation).
#[derive(Debug)]
pub struct Stripper {
    format: Format,
    /// Header bytes gathered, not yet written.
    head: Vec<u8>,
    need: usize,
    run: Option<Run>,
    /// Offset in the file of the next byte pushed.
    at: u64,
}

fn rest() -> Next {
    Next::Go(Run::Rest(Vec::new()))
}

fn be(b: &[u8], at: usize, n: usize) -> u64 {
    heic::be(b, at, n).unwrap_or(0)
}

fn le32(b: &[u8], at: usize) -> u64 {
    b.get(at..at + 4).map_or(0, |s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]) as u64)
}

/// A file's signature, its first `n` bytes (in `head`), kept as it is before the first chunk.
fn signature(n: usize, head: &[u8], started: &mut bool, out: &mut Vec<u8>) -> Next {
    if head.len() < n {
        return Next::More(n);
    }
    *started = true;
    out.extend_from_slice(head);
    Next::Go(Run::Copy(0))
}

impl Format {
    /// Reads the header `head` (starting at file offset `start`), writing what it keeps to `out`.
    fn next(&mut self, head: &[u8], start: u64, out: &mut Vec<u8>) -> Result<Next, Unreadable> {
        let keep = |out: &mut Vec<u8>| out.extend_from_slice(head);
        Ok(match self {
            Format::Pdf => rest(),
            Format::Jpeg { started } if !*started => {
                if head.len() < 2 {
                    return Ok(Next::More(2));
                }
                *started = true;
                keep(out);
                if head != [0xFF, 0xD8] {
                    return Ok(rest());
                }
                Next::Go(Run::Copy(0))
            }
            Format::Jpeg { .. } => {
                if head.is_empty() {
                    return Ok(Next::More(1));
                }
                if head[0] != 0xFF {
                    keep(out);
                    return Ok(rest());
                }
                // Fill bytes (0xFF) may come before a marker.
                let Some(i) = head.iter().position(|&b| b != 0xFF) else { return Ok(Next::More(head.len() + 1)) };
                let marker = head[i];
                if matches!(marker, 0x01 | 0xD0..=0xD9) {
                    keep(out);
                    return Ok(if marker == 0xD9 { rest() } else { Next::Go(Run::Copy(0)) });
                }
                if head.len() < i + 3 {
                    return Ok(Next::More(i + 3));
                }
                let len = be(head, i + 1, 2);
                if len < 2 {
                    keep(out);
                    return Ok(rest());
                }
                match marker {
                    0xE1 => Next::Go(Run::Drop(len - 2)),
                    // Start of scan: the image data follows, and no metadata after it.
                    0xDA => {
                        keep(out);
                        rest()
                    }
                    _ => {
                        keep(out);
                        Next::Go(Run::Copy(len - 2))
                    }
                }
            }
            Format::Png { started } if !*started => signature(8, head, started, out),
            Format::Png { .. } => {
                if head.len() < 8 {
                    return Ok(Next::More(8));
                }
                // Length, type, data, CRC.
                let len = be(head, 0, 4) + 4;
                match &head[4..8] {
                    b"eXIf" | b"tEXt" | b"zTXt" | b"iTXt" => Next::Go(Run::Drop(len)),
                    b"IEND" => {
                        keep(out);
                        rest()
                    }
                    _ => {
                        keep(out);
                        Next::Go(Run::Copy(len))
                    }
                }
            }
            Format::Webp { started } if !*started => signature(12, head, started, out),
            Format::Webp { .. } => {
                if head.len() < 8 {
                    return Ok(Next::More(8));
                }
                let size = le32(head, 4);
                let padded = size + (size & 1);
                match &head[..4] {
                    b"EXIF" | b"XMP " => {
                        out.extend_from_slice(b"JUNK");
                        out.extend_from_slice(&head[4..8]);
                        Next::Go(Run::Zero(padded))
                    }
                    b"VP8X" if size > 0 => {
                        if head.len() < 9 {
                            return Ok(Next::More(9));
                        }
                        out.extend_from_slice(&head[..8]);
                        // The flags: bit 3 says there is an EXIF chunk, bit 2 an XMP chunk.
                        out.push(head[8] & !0b0000_1100);
                        Next::Go(Run::Copy(padded - 1))
                    }
                    _ => {
                        keep(out);
                        Next::Go(Run::Copy(padded))
                    }
                }
            }
            Format::Heic => {
                if head.len() < 8 {
                    return Ok(Next::More(8));
                }
                let (header, size) = match be(head, 0, 4) {
                    1 if head.len() < 16 => return Ok(Next::More(16)),
                    1 => (16, be(head, 8, 8)),
                    // A box to the end of the file: nothing after it to look at.
                    0 if &head[4..8] == b"meta" => return Err(Unreadable),
                    0 => {
                        keep(out);
                        return Ok(rest());
                    }
                    n => (8, n),
                };
                if size < header {
                    keep(out);
                    return Ok(rest());
                }
                if &head[4..8] != b"meta" {
                    keep(out);
                    return Ok(Next::Go(Run::Copy(size - header)));
                }
                let size = usize::try_from(size).map_err(|_| Unreadable)?;
                if head.len() < size {
                    return Ok(Next::More(size));
                }
                // The whole `meta` box is here: blank what of the items lies in it, and
                // the rest as it passes.
                let end = start + size as u64;
                let mut meta = head.to_vec();
                let mut later = Vec::new();
                for (off, n) in heic::metadata_extents(head) {
                    let (off, n) = (off as u64, n as u64);
                    if off < start {
                        return Err(Unreadable);
                    }
                    if off < end {
                        let from = (off - start) as usize;
                        let to = (off.saturating_add(n).min(end) - start) as usize;
                        meta[from..to].fill(0);
                    }
                    if off.saturating_add(n) > end {
                        later.push((off.max(end), off.saturating_add(n) - off.max(end)));
                    }
                }
                out.extend_from_slice(&meta);
                Next::Go(Run::Rest(later))
            }
        })
    }
}

impl Stripper {
    pub fn new(kind: EvidenceKind) -> Self {
        let format = match kind {
            EvidenceKind::Jpeg => Format::Jpeg { started: false },
            EvidenceKind::Png => Format::Png { started: false },
            EvidenceKind::Webp => Format::Webp { started: false },
            EvidenceKind::Heic => Format::Heic,
            EvidenceKind::Pdf => Format::Pdf,
        };
        Self { format, head: Vec::new(), need: 0, run: None, at: 0 }
    }

    /// Takes the next bytes of the file and appends what is to be stored of them to `out`.
    pub fn push(&mut self, mut input: &[u8], out: &mut Vec<u8>) -> Result<(), Unreadable> {
        while !input.is_empty() {
            let Some(run) = &mut self.run else {
                let take = self.need.saturating_sub(self.head.len()).min(input.len());
                self.head.extend_from_slice(&input[..take]);
                input = &input[take..];
                self.at += take as u64;
                if self.head.len() < self.need {
                    return Ok(());
                }
                let start = self.at - self.head.len() as u64;
                match self.format.next(&self.head, start, out)? {
                    Next::More(n) if n > self.head.len() && n <= MAX_HELD_BYTES => self.need = n,
                    Next::More(_) if matches!(self.format, Format::Heic) => return Err(Unreadable),
                    // A header beyond reason (a run of fill bytes): the rest is copied.
                    Next::More(_) => {
                        out.extend_from_slice(&self.head);
                        self.head.clear();
                        self.run = Some(Run::Rest(Vec::new()));
                    }
                    Next::Go(run) => {
                        self.head.clear();
                        self.need = 0;
                        self.run = Some(run);
                    }
                }
                continue;
            };
            let n = match run {
                Run::Copy(n) | Run::Drop(n) | Run::Zero(n) => (*n).min(input.len() as u64) as usize,
                Run::Rest(_) => input.len(),
            };
            let (now, after) = input.split_at(n);
            match run {
                Run::Copy(_) => out.extend_from_slice(now),
                Run::Drop(_) => {}
                Run::Zero(_) => out.resize(out.len() + n, 0),
                Run::Rest(zeroed) => {
                    let first = out.len();
                    out.extend_from_slice(now);
                    for &(off, len) in zeroed.iter() {
                        let (from, to) = (off.max(self.at), off.saturating_add(len).min(self.at + n as u64));
                        if from < to {
                            out[first + (from - self.at) as usize..first + (to - self.at) as usize].fill(0);
                        }
                    }
                }
            }
            if let Run::Copy(left) | Run::Drop(left) | Run::Zero(left) = run {
                *left -= n as u64;
                if *left == 0 {
                    self.run = None;
                }
            }
            self.at += n as u64;
            input = after;
        }
        Ok(())
    }

    /// Ends the file: a header cut short by the end of the file is written as it is.
    pub fn finish(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.head);
    }
}

/// The whole file `bytes` without its location data (see [`Stripper`]).
pub fn strip_location(kind: EvidenceKind, bytes: &[u8]) -> Result<Vec<u8>, Unreadable> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut s = Stripper::new(kind);
    s.push(bytes, &mut out)?;
    s.finish(&mut out);
    Ok(out)
}

#[cfg(test)]
mod tests;
