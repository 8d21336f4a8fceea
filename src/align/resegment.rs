//! Resegmentation of an unsegmented MT stream to the reference's segments (mwerSegmenter idea).
