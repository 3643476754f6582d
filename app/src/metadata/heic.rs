//! Just enough of ISO-BMFF (ISO/IEC 14496-12) to find the metadata items of a HEIF file.

pub(super) fn be(b: &[u8], at: usize, n: usize) -> Option<u64> {
    let s = b.get(at..at.checked_add(n)?)?;
    Some(s.iter().fold(0u64, |acc, x| (acc << 8) | *x as u64))
}

/// The child boxes in `b[start..end]`: (type, payload start, box end).
fn boxes(b: &[u8], start: usize, end: usize) -> Vec<([u8; 4], usize, usize)> {
    let mut out = Vec::new();
    let mut at = start;
    while at + 8 <= end {
        let Some(size) = be(b, at, 4) else { break };
        let mut typ = [0u8; 4];
        typ.copy_from_slice(&b[at + 4..at + 8]);
        let (header, size) = match size {
            1 => (16, be(b, at + 8, 8).and_then(|n| usize::try_from(n).ok()).unwrap_or(usize::MAX)),
            0 => (8, end - at),
            n => (8, usize::try_from(n).unwrap_or(usize::MAX)),
        };
        let Some(box_end) = at.checked_add(size) else { break };
        if size < header || box_end > end {
            break;
        }
        out.push((typ, at + header, box_end));
        at = box_end;
    }
    out
}

/// Big-endian fields read in turn, never past the end of the file.
struct Cursor<'a> {
    b: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn take(&mut self, n: usize) -> Option<u64> {
        let v = be(self.b, self.at, n)?;
        self.at += n;
        Some(v)
    }

    fn skip(&mut self, n: usize) -> Option<()> {
        self.at = self.at.checked_add(n).filter(|&at| at <= self.b.len())?;
        Some(())
    }
}

/// Ids of the items of type `Exif` or `mime` (XMP) listed in `iinf`.
fn metadata_items(b: &[u8], start: usize, end: usize) -> Vec<u32> {
    let Some(&version) = b.get(start) else { return Vec::new() };
    let first = start + 4 + if version == 0 { 2 } else { 4 };
    let item = |p: usize| {
        // `infe` version 2 or 3: id (2 or 4 bytes), protection index, item type.
        let v = *b.get(p)?;
        let mut c = Cursor { b, at: p + 4 };
        let id = c.take(match v {
            2 => 2,
            3 => 4,
            _ => return None,
        })?;
        c.skip(2)?;
        let item_type = b.get(c.at..c.at + 4)?;
        (item_type == b"Exif" || item_type == b"mime").then_some(id as u32)
    };
    boxes(b, first.min(end), end)
        .into_iter()
        .filter(|(typ, _, _)| typ == b"infe")
        .filter_map(|(_, p, _)| item(p))
        .collect()
}

/// (offset, length) of each extent stored in the file for `ids`, from `iloc`.
fn extents(b: &[u8], start: usize, ids: &[u32]) -> Option<Vec<(usize, usize)>> {
    let version = *b.get(start)?;
    let mut c = Cursor { b, at: start + 4 };
    let sizes = c.take(2)?;
    let size = |shift: u32| ((sizes >> shift) & 0xF) as usize;
    let (off_sz, len_sz, base_sz) = (size(12), size(8), size(4));
    let idx_sz = if version >= 1 { size(0) } else { 0 };
    let id_sz = if version < 2 { 2 } else { 4 };
    let mut out = Vec::new();
    for _ in 0..c.take(id_sz)? {
        let id = c.take(id_sz)? as u32;
        let method = if version >= 1 { c.take(2)? & 0xF } else { 0 };
        c.skip(2)?; // data_reference_index
        let base = c.take(base_sz)? as usize;
        let n = c.take(2)?;
        if idx_sz + off_sz + len_sz == 0 {
            continue; // extents of no bytes: nothing to read, nothing to blank
        }
        for _ in 0..n {
            c.skip(idx_sz)?;
            let off = c.take(off_sz)? as usize;
            let len = c.take(len_sz)? as usize;
            if ids.contains(&id) && method == 0 {
                out.push((base.saturating_add(off), len));
            }
        }
    }
    Some(out)
}

/// The extents (file offset, length) of the Exif and XMP items that the `meta` box `meta`
/// (the whole box, header included) lists as stored in the file.
pub fn metadata_extents(meta: &[u8]) -> Vec<(usize, usize)> {
    let Some(&(_, meta_start, meta_end)) = boxes(meta, 0, meta.len()).iter().find(|(t, _, _)| t == b"meta") else {
        return Vec::new();
    };
    // `meta` is a full box: 4 bytes of version and flags before its children.
    let children = boxes(meta, meta_start + 4, meta_end);
    let Some(&(_, iinf, iinf_end)) = children.iter().find(|(t, _, _)| t == b"iinf") else { return Vec::new() };
    let ids = metadata_items(meta, iinf, iinf_end);
    let Some(&(_, iloc, _)) = children.iter().find(|(t, _, _)| t == b"iloc") else { return Vec::new() };
    extents(meta, iloc, &ids).unwrap_or_default().into_iter().filter(|&(_, n)| n > 0).collect()
}
