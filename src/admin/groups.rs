//! Consumer groups in the Admin API: their states and types, and the requests that delete
//! groups or list, alter and delete their committed offsets.

use super::partitions::TopicPartition;

/// A consumer group's state (librdkafka's rd_kafka_consumer_group_state_t numbering).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupState {
    Unknown = 0,
    PreparingRebalance = 1,
    CompletingRebalance = 2,
    Stable = 3,
    Dead = 4,
    Empty = 5,
}

impl GroupState {
    // Private: cbindgen follows public associated constants and would put the type into
    // the C header.
    const ALL: [GroupState; 6] = [
        GroupState::Unknown,
        GroupState::PreparingRebalance,
        GroupState::CompletingRebalance,
        GroupState::Stable,
        GroupState::Dead,
        GroupState::Empty,
    ];

    pub fn from_i32(v: i32) -> Option<GroupState> {
        usize::try_from(v).ok().and_then(|i| GroupState::ALL.get(i)).copied()
    }
}

/// A consumer group's type (librdkafka's rd_kafka_consumer_group_type_t numbering):
/// groups of the KIP-848 protocol are Consumer, the others Classic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupType {
    Unknown = 0,
    Consumer = 1,
    Classic = 2,
}

impl GroupType {
    // Private: cbindgen follows public associated constants and would put the type into
    // the C header.
    const ALL: [GroupType; 3] = [GroupType::Unknown, GroupType::Consumer, GroupType::Classic];

    pub fn from_i32(v: i32) -> Option<GroupType> {
        usize::try_from(v).ok().and_then(|i| GroupType::ALL.get(i)).copied()
    }
}

/// A group to delete (DeleteGroups).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteGroup {
    pub group: String,
}

/// A group whose committed offsets to list (ListConsumerGroupOffsets).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListConsumerGroupOffsets {
    pub group: String,
    /// None: every partition the group has offsets for.
    pub partitions: Option<Vec<TopicPartition>>,
}

/// The committed offsets to set for a group (AlterConsumerGroupOffsets).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlterConsumerGroupOffsets {
    pub group: String,
    pub partitions: Vec<TopicPartition>,
}

/// The partitions whose committed offsets a group forgets (DeleteConsumerGroupOffsets).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteConsumerGroupOffsets {
    pub group: String,
    pub partitions: Vec<TopicPartition>,
}

/// A member to remove from a group (RemoveGroupMembers, as kafka-python's
/// MemberToRemove): by member id, or a static member by its group instance id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberToRemove {
    /// Empty for a static member known by its instance id only.
    pub member_id: String,
    pub group_instance_id: Option<String>,
    /// Sent from LeaveGroup v5 on.
    pub reason: Option<String>,
}

/// The members to remove from one group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemoveGroupMembers {
    pub group: String,
    pub members: Vec<MemberToRemove>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_and_types_are_numbered_as_librdkafka() {
        for (i, s) in GroupState::ALL.iter().enumerate() {
            assert_eq!(*s as usize, i);
            assert_eq!(GroupState::from_i32(i as i32), Some(*s));
        }
        assert_eq!(GroupState::from_i32(6), None);
        assert_eq!(GroupState::from_i32(-1), None);
        assert_eq!(GroupType::from_i32(2), Some(GroupType::Classic));
        assert_eq!(GroupType::from_i32(3), None);
    }
}
