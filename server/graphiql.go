package server

import (
	"compress/gzip"
	"embed"
	"io"
	"net/http"
	"path"
	"strings"
)

// GraphiQL's page and its assets (GraphiQL 3, React 18; MIT, licences beside them),
// embedded and served by Atrium itself, so the dev explorer works offline and behind a
// mall's firewall. Assets are stored gzipped and sent as they are to clients that
// accept gzip (all browsers), unzipped for the rest.
//
//go:embed graphiql/index.html graphiql/*.gz
var graphiqlFiles embed.FS

// assetTypes are the content types of the embedded assets.
var assetTypes = map[string]string{".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}

// graphiqlPage serves the GraphiQL page.
func graphiqlPage(w http.ResponseWriter, _ *http.Request) {
	b, err := graphiqlFiles.ReadFile("graphiql/index.html")
	if err != nil {
		http.Error(w, "graphiql page missing", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(b)
}

// graphiqlAsset serves /graphiql/{name} from the embedded gzipped files.
func graphiqlAsset(w http.ResponseWriter, r *http.Request) {
	name := path.Base(r.PathValue("name"))
	ctype, ok := assetTypes[path.Ext(name)]
	f, err := graphiqlFiles.Open("graphiql/" + name + ".gz")
	if !ok || err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Header().Set("Vary", "Accept-Encoding")
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = io.Copy(w, f)
		return
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		http.Error(w, "bad asset", http.StatusInternalServerError)
		return
	}
	_, _ = io.Copy(w, zr)
}
