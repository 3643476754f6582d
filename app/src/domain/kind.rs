//! What an item is and how it reached the centre.

use serde::{Deserialize, Serialize};

/// Consultation (a question), complaint (a dispute to mediate) or report (a violation to investigate).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ItemKind {
    Consultation,
    Complaint,
    Report,
}

/// How the item was received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Channel {
    Web,
    Phone,
    Letter,
    VoiceMessage,
    WalkIn,
}

codes!(ItemKind { Consultation => "consultation", Complaint => "complaint", Report => "report" });
codes!(Channel {
    Web => "web",
    Phone => "phone",
    Letter => "letter",
    VoiceMessage => "voice_message",
    WalkIn => "walk_in",
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for k in ItemKind::ALL {
            assert_eq!(ItemKind::from_code(k.code()), Some(*k));
        }
        for c in Channel::ALL {
            assert_eq!(Channel::from_code(c.code()), Some(*c));
        }
        assert_eq!(Channel::from_code("fax"), None);
    }
}
