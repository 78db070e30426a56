extension SpeechCommandModel {
    /// The word scores behind a recognition, for the evaluation's studies of refusal rules: the
    /// template distance and the phonetic distance of every word, and the refusal threshold.
    package func componentScores(
        _ audio: PCMAudio
    ) -> (acoustic: [Float], phonetic: [Float]?, phoneticFloor: Float, posteriors: FeatureSequence?, threshold: Float, hasSpeech: Bool) {
        let prepared = extractor.prepared(audio)
        let scores = matcher.componentScores(forPrepared: prepared, extractor: extractor)
        return (
            scores.acoustic, scores.phonetic, scores.phoneticFloor, scores.posteriors, calibration.refusalThreshold, SpeechDetector.containsSpeech(prepared)
        )
    }
}
