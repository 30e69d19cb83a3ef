package io.megrad.cli.io;

import java.io.BufferedReader;

/** The events of a Les Houches file as points of the subprocesses they match (see {@link LheMatcher}). */
final class LhePointSource extends LookaheadPointSource {
    private final LheReader events;
    private final LheMatcher matcher;

    LhePointSource(String sourceName, BufferedReader reader, LheMatcher matcher) {
        super(sourceName, reader);
        this.events = new LheReader(sourceName, reader);
        this.matcher = matcher;
    }

    @Override
    Point readNext() {
        LheEvent event = events.read();
        return event == null ? null : matcher.require(event, sourceName());
    }
}
