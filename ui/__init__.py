"""The explorer's pages (Streamlit scripts that app.py runs through st.navigation) and the state they share."""
