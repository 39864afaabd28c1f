-- images.lua — pandoc filter for make handouts: a picture is written in the
-- handout as build/labN/NAME.png (where make labN draws it). The filter points
-- it at the build folder as seen from the rendered page (the metadata field
-- build_from_page, e.g. "../"), and when the file is not there yet it puts a
-- line naming the make target that draws it in the picture's place.
-- The metadata field build_dir is the build folder as seen from where pandoc runs.

local build_dir = "build/"
local build_from_page = "../"

local function exists(path)
  local f = io.open(path, "rb")
  if f then f:close() return true end
  return false
end

function Meta(meta)
  if meta.build_dir then build_dir = pandoc.utils.stringify(meta.build_dir) end
  if meta.build_from_page then build_from_page = pandoc.utils.stringify(meta.build_from_page) end
end

function Image(img)
  local rest = img.src:match("^build/(.*)$")
  if not rest then return nil end
  local lab = rest:match("^lab(%d)/")
  if exists(build_dir .. rest) then
    img.src = build_from_page .. rest
    return img
  end
  local target = lab and ("make lab" .. lab) or "make"
  return pandoc.Span({ pandoc.Str("[Picture not drawn yet: "), pandoc.Code(target),
                       pandoc.Str(" draws "), pandoc.Code(img.src), pandoc.Str(".]") },
                     { class = "missing-picture" })
end

return { { Meta = Meta }, { Image = Image } }
