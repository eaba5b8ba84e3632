//! FNV-1a 64, the crate's one small-key hash: node ids and content hashes are built from it,
//! and the evaluator's maps (short identifier keys, where SipHash's setup dominates) use it as
//! their hasher.

/// An FNV-1a 64 state.
#[derive(Clone, Copy)]
pub(crate) struct Fnv(pub u64);

impl Fnv {
    const PRIME: u64 = 0x0100_0000_01b3;

    /// The initial state (the offset basis).
    pub fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    /// Mixes in `bytes`, one at a time.
    pub fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
    }

    /// Mixes in a whole 64-bit word in one step.
    pub fn write_word(&mut self, word: u64) {
        self.0 ^= word;
        self.0 = self.0.wrapping_mul(Self::PRIME);
    }
}

impl std::hash::Hasher for Fnv {
    /// The state with its high bits folded into the low ones, which `HashMap` uses for the
    /// bucket (FNV's last multiply leaves the low bits depending on the low input bits only).
    fn finish(&self) -> u64 {
        self.0 ^ (self.0 >> 29)
    }

    fn write(&mut self, bytes: &[u8]) {
        Fnv::write(self, bytes);
    }

    /// Whole-word keys (addresses, ids) in one step instead of eight.
    fn write_u64(&mut self, word: u64) {
        self.write_word(word);
    }

    fn write_usize(&mut self, word: usize) {
        self.write_word(word as u64);
    }
}

/// Builds [`Fnv`] hashers for `HashMap`s.
#[derive(Default, Clone, Copy)]
pub(crate) struct FnvBuild;

impl std::hash::BuildHasher for FnvBuild {
    type Hasher = Fnv;
    fn build_hasher(&self) -> Fnv {
        Fnv::new()
    }
}
