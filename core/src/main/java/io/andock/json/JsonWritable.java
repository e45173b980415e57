package io.andock.json;

/** A value that knows its JSON form (a Map, List, String, number, Boolean or null). */
public interface JsonWritable {
    Object toJson();
}
