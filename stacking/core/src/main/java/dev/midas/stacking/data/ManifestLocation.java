package dev.midas.stacking.data;

import dev.midas.store.ObjectStore;
import dev.midas.store.ObjectStores;
import dev.midas.store.StoreOptions;
import java.io.IOException;
import java.net.URI;

/**
 * A dataset MANIFEST named by URI in a spec ({@code data.dataset}, {@code data.primitives}): the
 * store rooted just above the dataset's folder, and the manifest's key in it ({@code
 * <version>/MANIFEST}), so the key has the folder an artifact reader needs.
 */
public record ManifestLocation(URI folder, String key) {

  public static ManifestLocation of(String manifestUri) {
    URI manifest = URI.create(manifestUri);
    String path = manifest.getPath();
    String folder = path.substring(0, Math.max(0, path.lastIndexOf('/')));
    int cut = Math.max(0, folder.lastIndexOf('/'));
    URI parent =
        URI.create(
            manifest.getScheme()
                + "://"
                + (manifest.getAuthority() == null ? "" : manifest.getAuthority())
                + (cut == 0 ? "/" : folder.substring(0, cut)));
    return new ManifestLocation(parent, path.substring(cut + 1));
  }

  /** Opens the store the manifest is in; the caller closes it. */
  public ObjectStore open(StoreOptions options) throws IOException {
    return ObjectStores.open(folder, options);
  }
}
