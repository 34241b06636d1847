-- Drives the Entente language server from Neovim's built-in LSP client (Neovim 0.7+), headless:
--   ENTENTE_SERVER=bin/entente-language-server ENTENTE_WORKSPACE=<copy of examples/nfm-paper> \
--     nvim --headless -u NONE -i NONE -n +'luafile test/editors/check.lua'
-- Checks diagnostics, completion and hover on paper.md; prints one JSON line of results and
-- exits 0 when every check passed, 1 otherwise. Started by test/editors/run.mjs.
local server = assert(os.getenv('ENTENTE_SERVER'), 'ENTENTE_SERVER is not set')
local root = assert(os.getenv('ENTENTE_WORKSPACE'), 'ENTENTE_WORKSPACE is not set')
local timeout = 15000
local results = {}

local function check(name, ok, detail)
  table.insert(results, { name = name, ok = ok and true or false, detail = detail })
end

local function finish()
  local failed = 0
  for _, r in ipairs(results) do
    if not r.ok then failed = failed + 1 end
  end
  io.stdout:write(vim.json.encode({ editor = 'neovim', version = tostring(vim.version().major .. '.' .. vim.version().minor .. '.' .. vim.version().patch), results = results }) .. '\n')
  io.stdout:flush()
  vim.lsp.stop_client(vim.lsp.get_active_clients(), true)
  os.exit(failed == 0 and 0 or 1)
end

local ok, err = pcall(function()
  local file = root .. '/paper.md'
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  -- With -u NONE there is no filetype detection; the filetype is the LSP languageId.
  vim.bo[bufnr].filetype = 'markdown'
  local uri = vim.uri_from_bufnr(bufnr)

  local id = vim.lsp.start_client({
    name = 'entente',
    cmd = { 'node', server, '--stdio' },
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = 'nfm-paper' } },
  })
  check('the server starts', id ~= nil)
  vim.lsp.buf_attach_client(bufnr, id)
  local initialized = vim.wait(timeout, function()
    local client = vim.lsp.get_client_by_id(id)
    return client ~= nil and client.initialized
  end, 20)
  check('the server initializes', initialized)

  -- Diagnostics: the deliberately broken key of paper.md.
  local found = nil
  vim.wait(timeout, function()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.code == 'citation.undefined' then
        found = d
        return true
      end
    end
    return false
  end, 20)
  local broken = found and vim.api.nvim_buf_get_text(bufnr, found.lnum, found.col, found.end_lnum, found.end_col, {})[1]
  check('diagnostics report citation.undefined for duffeild1994nato', broken == 'duffeild1994nato', found and (found.code .. ' ' .. tostring(broken) .. ': ' .. found.message) or 'none')

  -- Completion after "[@bisc" on a new last line.
  local last = vim.api.nvim_buf_line_count(bufnr)
  vim.api.nvim_buf_set_lines(bufnr, last, last, false, { '', 'As argued in [@bisc' })
  local line = last + 1
  local response = vim.lsp.buf_request_sync(bufnr, 'textDocument/completion', {
    textDocument = { uri = uri },
    position = { line = line, character = #'As argued in [@bisc' },
  }, timeout)
  local result = response and response[id] and response[id].result
  local items = result and (result.items or result) or {}
  local first = items[1] and items[1].label
  check('completion after [@bisc offers biscop2022new first', first == 'biscop2022new', tostring(first) .. ' of ' .. #items)
  vim.api.nvim_buf_set_lines(bufnr, last, last + 2, false, {})

  -- Hover on a citation key.
  local row, col
  for i, text in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    local at = text:find('@biscop2022new', 1, true)
    if at then
      row, col = i - 1, at + 2
      break
    end
  end
  local hover = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', { textDocument = { uri = uri }, position = { line = row, character = col } }, timeout)
  local contents = hover and hover[id] and hover[id].result and hover[id].result.contents
  local text = type(contents) == 'table' and (contents.value or vim.inspect(contents)) or tostring(contents)
  check('hover on @biscop2022new shows the reference', text:find('Biscop, S. (2022)', 1, true) ~= nil, text:sub(1, 120))
end)
if not ok then check('the script ran', false, tostring(err)) end
finish()
