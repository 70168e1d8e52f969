"""GeoKG explorer, for ``streamlit run app.py`` in a checkout: the app itself is ``geokg.ui.explorer``.

    streamlit run app.py        # or, anywhere GeoKG is installed: geokg ui
"""

from geokg.ui.explorer import main

main()
