package io.andock.container;

import io.andock.AndockException;

/**
 * A legacy link, {@code --link NAME[:ALIAS]} (the API's {@code HostConfig.Links}): the linked container is found
 * by its name in the linking one's /etc/hosts under the alias, and its ports and environment come in as Docker's
 * {@code ALIAS_PORT_80_TCP=tcp://ADDR:80}, {@code ALIAS_NAME=/me/alias}, {@code ALIAS_ENV_K=V} variables.
 *
 * @param name  the linked container's name (or id), without the leading slash
 * @param alias the name it is known by inside the linking container
 */
public record Link(String name, String alias) {
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,253}");

    public Link {
        for (String s : new String[]{name, alias}) {
            if (s == null || !NAME.matcher(s).matches()) throw AndockException.invalid("invalid link name: " + StoreNames.printable(String.valueOf(s)));
        }
    }

    public static Link parse(String s) {
        if (s == null || s.isEmpty()) throw AndockException.invalid("invalid link: empty");
        String[] p = s.split(":", -1);
        if (p.length > 2) throw AndockException.invalid("invalid link: " + StoreNames.printable(s));
        String name = strip(p[0]), alias = p.length == 2 ? strip(p[1]) : name;
        if (alias.contains("/")) alias = alias.substring(alias.lastIndexOf('/') + 1); // the API's /me/alias form
        return new Link(name, alias);
    }

    private static String strip(String s) {
        return s.startsWith("/") ? s.substring(1) : s;
    }

    /** The prefix of the link's variables: the alias in capitals, {@code -} and {@code .} as {@code _}. */
    public String envPrefix() {
        return alias.toUpperCase(java.util.Locale.ROOT).replace('-', '_').replace('.', '_');
    }

    /** inspect's {@code HostConfig.Links}: {@code /name:/container/alias}. */
    public String inspectForm(String container) {
        return "/" + name + ":/" + container + "/" + alias;
    }
}
