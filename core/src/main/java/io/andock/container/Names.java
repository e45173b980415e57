package io.andock.container;

import io.andock.os.RandomBytes;

import java.util.List;

/** Docker-style random names, {@code adjective_surname} (a shorter list than moby's). */
public final class Names {
    private static final List<String> LEFT = List.of("admiring", "bold", "brave", "clever", "dazzling", "eager",
            "elegant", "festive", "gallant", "happy", "jolly", "keen", "loving", "modest", "nifty", "optimistic",
            "peaceful", "quirky", "relaxed", "serene", "sharp", "stoic", "tender", "vibrant", "wizardly", "zealous");
    private static final List<String> RIGHT = List.of("babbage", "curie", "darwin", "euler", "fermi", "galileo",
            "hopper", "hypatia", "johnson", "kepler", "lamarr", "lovelace", "meitner", "noether", "pasteur", "ritchie",
            "shannon", "thompson", "turing", "wozniak", "yalow", "zhukovsky", "torvalds", "goldberg", "knuth", "liskov");

    private Names() {}

    public static String random() {
        return LEFT.get(RandomBytes.below(LEFT.size())) + "_" + RIGHT.get(RandomBytes.below(RIGHT.size()))
                + "_" + Integer.toString(RandomBytes.below(46656), 36);
    }
}
